using Aggregator.Hosting;
using Aggregator.ServiceDefaults;
using Aggregator.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddAggregatorService(bus => bus.AddValidationConsumers());
// Announces again whatever waited too long for its next step (a message lost to an outage).
builder.Services.AddStalledWorkReconciler(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
