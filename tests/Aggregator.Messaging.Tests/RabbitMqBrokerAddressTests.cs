using Aggregator.Messaging.RabbitMq;

namespace Aggregator.Messaging.Tests;

public sealed class RabbitMqBrokerAddressTests
{
    [Fact]
    public void Reads_host_port_virtual_host_and_credentials_from_an_amqp_uri()
    {
        var address = RabbitMqBrokerAddress.Parse(new Uri("amqp://svc:p%40ss@mq.internal:5673/district-a"));

        Assert.Equal(new RabbitMqBrokerAddress("mq.internal", 5673, "district-a", "svc", "p@ss", UseTls: false), address);
    }

    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1/", "/", 5672, false)]
    [InlineData("amqp://guest:guest@127.0.0.1", "/", 5672, false)]
    [InlineData("amqp://guest:guest@127.0.0.1/%2F", "/", 5672, false)]
    [InlineData("amqps://guest:guest@mq.example/prod", "prod", 5671, true)]
    public void Defaults_follow_the_amqp_uri_specification(string uri, string virtualHost, int port, bool tls)
    {
        var address = RabbitMqBrokerAddress.Parse(new Uri(uri));

        Assert.Equal((virtualHost, port, tls), (address.VirtualHost, (int)address.Port, address.UseTls));
    }

    [Fact]
    public void Its_text_names_the_broker_but_not_the_credentials()
    {
        var address = RabbitMqBrokerAddress.Parse(new Uri("amqp://svc:TopSecret@mq.internal:5672/district-a"));

        Assert.Equal("mq.internal:5672 (virtual host 'district-a')", address.ToString());
    }
}
