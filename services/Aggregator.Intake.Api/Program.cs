using Aggregator.Intake;
using Aggregator.Messaging;
using Aggregator.Messaging.Outbox;
using Aggregator.ServiceDefaults;
using Aggregator.Storage;
using Aggregator.Storage.Connections;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddAggregatorStorage(builder.Configuration).AddDatabaseMigrationOnStartup();
builder.Services.AddDatabaseReadiness(DatabaseProbe.CheckAsync);
// The API consumes nothing: it stores, and the outbox sweeper announces what it stored.
builder.Services.AddAggregatorMessaging(builder.Configuration, _ => { });
builder.Services.AddOutboxRelay();
builder.Services.AddIntakeApi(builder.Configuration);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIntakeApi();
app.Run();

public partial class Program;
