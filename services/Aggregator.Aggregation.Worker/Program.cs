using Aggregator.Aggregation;
using Aggregator.Application.Hosting;
using Aggregator.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddAggregationWorker(builder.Configuration);
builder.Services.AddDatabaseReadiness(DatabaseProbe.CheckAsync);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
