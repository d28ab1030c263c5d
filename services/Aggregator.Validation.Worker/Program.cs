using Aggregator.Hosting;
using Aggregator.ServiceDefaults;
using Aggregator.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddAggregatorService(bus => bus.AddValidationConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
