using Aggregator.Redaction;

namespace Aggregator.Messaging.Tests;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("connect to amqp://svc:TopSecret@mq:5672/ failed", "connect to amqp://svc:***@mq:5672/ failed")]
    [InlineData("Host=db;Username=app;Password=TopSecret;Database=agg", "Host=db;Username=app;Password=***;Database=agg")]
    [InlineData("Server=db;User Id=sa;pwd = 'Top;Secret';", "Server=db;User Id=sa;pwd = ***;")]
    [InlineData("amqp://mq:5672/ and Host=db", "amqp://mq:5672/ and Host=db")]
    public void Masks_passwords_in_uris_and_connection_strings(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text));
    }

    [Fact]
    public void A_uri_keeps_its_user_and_host_but_loses_its_password()
    {
        var redacted = SecretRedactor.Redact(new Uri("amqp://svc:TopSecret@mq.internal:5672/district"));

        Assert.DoesNotContain("TopSecret", redacted, StringComparison.Ordinal);
        Assert.Contains("svc", redacted, StringComparison.Ordinal);
        Assert.Contains("mq.internal:5672/district", redacted, StringComparison.Ordinal);
    }
}
