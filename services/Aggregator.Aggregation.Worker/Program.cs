using Aggregator.Aggregation;
using Aggregator.Hosting;
using Aggregator.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddAggregatorService(bus => bus.AddAggregationConsumers());
// The reconciler announces again what a lost message left waiting (a worker killed mid-step, a broker outage).
builder.Services.AddStalledWorkReconciler(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
