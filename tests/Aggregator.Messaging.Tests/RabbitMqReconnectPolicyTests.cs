using Aggregator.Messaging.RabbitMq;
using MassTransit;
using MassTransit.Middleware;
using RabbitMQ.Client.Exceptions;

namespace Aggregator.Messaging.Tests;

/// <summary>
/// What MassTransit 8 waits before a RabbitMQ receive endpoint connects again, read from the policy its host really
/// uses (no broker needed: the bus is configured, never started).
/// </summary>
public sealed class RabbitMqReconnectPolicyTests
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    [Fact]
    public void MassTransits_own_pauses_grow_past_twenty_seconds_which_is_why_the_policy_is_replaced()
    {
        var delays = Delays(PolicyOf(_ => { }), new RabbitMqConnectionException("Broker unreachable"), 8);

        Assert.True(delays.Max() > TimeSpan.FromSeconds(20), "MassTransit's pauses: " + string.Join(", ", delays));
    }

    [Fact]
    public void After_any_number_of_lost_connections_an_endpoint_waits_at_most_the_capped_delay_and_a_quarter_of_jitter()
    {
        var policy = PolicyOf(transport => RabbitMqReconnectPolicy.Apply(transport, MaxDelay));

        var delays = Delays(policy, new RabbitMqConnectionException("Broker unreachable"), 200);

        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.FromMilliseconds(300), MaxDelay * 1.25));
    }

    [Fact]
    public void The_replaced_policy_keeps_MassTransits_judgement_of_what_is_worth_reconnecting_for()
    {
        var policy = PolicyOf(transport => RabbitMqReconnectPolicy.Apply(transport, MaxDelay));

        Assert.True(policy.IsHandled(new RabbitMqConnectionException("Connect failed")));
        Assert.True(policy.IsHandled(new EndOfStreamException()));
        Assert.False(policy.IsHandled(new AuthenticationFailureException("ACCESS_REFUSED")));
        Assert.False(policy.IsHandled(new InvalidOperationException("a bug")));
    }

    private static IRetryPolicy PolicyOf(Action<IRabbitMqBusFactoryConfigurator> configure)
    {
        IRetryPolicy? policy = null;
        Bus.Factory.CreateUsingRabbitMq(transport =>
        {
            transport.Host("127.0.0.1", 1, "/", host =>
            {
                host.Username("guest");
                host.Password("guest");
            });
            configure(transport);
            policy = RabbitMqReconnectPolicy.Current(transport);
        });
        return policy ?? throw new InvalidOperationException("the bus was not configured");
    }

    // As MassTransit's receive transport does: one policy context for the life of the endpoint, each fault moving on.
    private static List<TimeSpan> Delays(IRetryPolicy policy, Exception fault, int faults)
    {
        using var policyContext = policy.CreatePolicyContext(new TransportContext());
        Assert.True(policyContext.CanRetry(fault, out var retry));
        var delays = new List<TimeSpan> { retry.Delay ?? TimeSpan.Zero };
        for (var i = 1; i < faults; i++)
        {
            Assert.True(retry.CanRetry(fault, out retry), $"no retry after {i} faults");
            delays.Add(retry.Delay ?? TimeSpan.Zero);
        }

        return delays;
    }

    private sealed class TransportContext() : BasePipeContext(CancellationToken.None);
}
