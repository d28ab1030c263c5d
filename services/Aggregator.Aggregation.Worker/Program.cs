using Aggregator.Aggregation;
using Aggregator.Hosting;
using Aggregator.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddAggregatorService(bus => bus.AddAggregationConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
