using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aggregator.Messaging.Tests;

public sealed class OptionsValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unusable_messaging_settings_stop_start_up_naming_each_setting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:PrefetchCount"] = "0",
            ["Messaging:Outbox:BatchSize"] = "0",
            ["Messaging:Outbox:SweepInterval"] = "00:00:00",
            ["Messaging:Outbox:ClaimLease"] = "00:00:05",
            ["Messaging:Outbox:MaxAttempts"] = "0",
        });
        builder.Services.AddAggregatorMessaging(builder.Configuration, _ => { });
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Equal(
            [
                "Messaging:PrefetchCount must be at least 1.", "Messaging:Outbox:SweepInterval must be positive.", "Messaging:Outbox:BatchSize must be at least 1.",
                "Messaging:Outbox:ClaimLease must be longer than Messaging:Outbox:PublishTimeout.", "Messaging:Outbox:MaxAttempts must be at least 1.",
            ],
            failure.Failures);
    }

    [Fact]
    public void A_rabbitmq_address_of_another_scheme_is_refused_naming_the_setting()
    {
        var options = new MessagingOptions { Transport = MessagingTransport.RabbitMq, RabbitMq = { Uri = new Uri("http://mq:5672/") } };

        var result = new MessagingOptionsValidator().Validate(null, options);

        Assert.Equal(["Messaging:RabbitMq:Uri must be an amqp:// or amqps:// address."], result.Failures);
    }

    [Fact]
    public void The_default_settings_are_valid()
    {
        Assert.True(new MessagingOptionsValidator().Validate(null, new MessagingOptions()).Succeeded);
    }
}
