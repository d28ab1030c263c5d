using Aggregator.Hosting;
using Aggregator.Intake;
using Aggregator.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
// The API consumes nothing: it stores, and the outbox sweeper announces what it stored.
builder.AddAggregatorService(_ => { });
builder.Services.AddIntakeApi(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIntakeApi();
app.Run();

public partial class Program;
