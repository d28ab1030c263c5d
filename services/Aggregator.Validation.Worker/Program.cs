using Aggregator.Hosting;
using Aggregator.ServiceDefaults;
using Aggregator.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddAggregatorService(bus => bus.AddValidationConsumers());
// The reconciler announces again what a lost message left waiting (a worker killed mid-step, a broker outage).
builder.Services.AddStalledWorkReconciler(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
