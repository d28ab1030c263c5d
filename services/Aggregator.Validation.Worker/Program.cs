using Aggregator.Application.Hosting;
using Aggregator.ServiceDefaults;
using Aggregator.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddValidationWorker(builder.Configuration);
builder.Services.AddDatabaseReadiness(DatabaseProbe.CheckAsync);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
