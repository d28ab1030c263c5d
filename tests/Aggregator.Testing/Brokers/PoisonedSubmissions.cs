using Aggregator.Contracts;
using Aggregator.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Testing.Brokers;

/// <summary>
/// A worker on the real broker whose submission consumer fails for good (no retry) until healed, like a consumer whose
/// bug is then fixed: its messages land in <see cref="Queue"/>'s error queue for ops to see and redrive.
/// </summary>
public sealed class PoisonedSubmissions
{
    public const string Queue = "aggregator-poisoned-submission";

    public const string Failure = "模拟故障: 单位树缺失";

    private int failures;
    private int successes;

    public volatile bool Healed;

    public int Failures => Volatile.Read(ref failures);

    public int Successes => Volatile.Read(ref successes);

    public async Task<IHost> StartWorkerAsync(TestBroker broker, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(broker.MessagingSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:Retry:Intervals:0"] = "00:00:00.010" });
        builder.Services.AddSingleton(this);
        builder.Services.AddAggregatorMessaging(builder.Configuration, bus => bus.AddConsumer<PoisonedSubmissionConsumer>());
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private sealed class PoisonedSubmissionConsumer(PoisonedSubmissions state) : IConsumer<SubmissionReceived>
    {
        public Task Consume(ConsumeContext<SubmissionReceived> context)
        {
            if (!state.Healed)
            {
                Interlocked.Increment(ref state.failures);
                throw new NotSupportedException(Failure);
            }

            Interlocked.Increment(ref state.successes);
            return Task.CompletedTask;
        }
    }
}
