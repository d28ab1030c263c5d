using Aggregator.Aggregation;
using Aggregator.ServiceDefaults;
using Aggregator.Storage.Connections;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddAggregationWorker(builder.Configuration);
builder.Services.AddDatabaseReadiness(DatabaseProbe.CheckAsync);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
