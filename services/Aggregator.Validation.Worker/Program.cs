using Aggregator.ServiceDefaults;
using Aggregator.Storage.Connections;
using Aggregator.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddValidationWorker(builder.Configuration);
builder.Services.AddDatabaseReadiness(DatabaseProbe.CheckAsync);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
