namespace Aggregator.Messaging;

/// <summary>The <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public MessagingTransport Transport { get; set; } = MessagingTransport.InMemory;

    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>Prefix of every receive endpoint (queue) name, before kebab-casing: <c>Aggregator</c> gives <c>aggregator-…</c>.</summary>
    public string EndpointPrefix { get; set; } = "Aggregator";

    /// <summary>Messages each endpoint fetches ahead of its consumers.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>Messages each endpoint consumes at once; unset lets the prefetch count decide.</summary>
    public int? ConcurrentMessageLimit { get; set; }

    public MessageRetryOptions Retry { get; set; } = new();

    public RedeliveryOptions Redelivery { get; set; } = new();

    public OutboxRelayOptions Outbox { get; set; } = new();

    /// <summary>How long start-up may wait for the bus before the host fails.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long shutdown waits for consumers in flight.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public enum MessagingTransport
{
    /// <summary>Everything in one process (the embedded mode).</summary>
    InMemory,

    /// <summary>A RabbitMQ broker or cluster (the distributed mode).</summary>
    RabbitMq,
}

/// <summary>The <c>Messaging:RabbitMq</c> configuration section.</summary>
public sealed class RabbitMqOptions
{
    /// <summary><c>amqp://user:password@host:5672/vhost</c> or <c>amqps://…</c>; never logged as is.</summary>
    public Uri? Uri { get; set; }

    /// <summary>
    /// The management HTTP API, for the ops endpoints: <c>http://host:15672/</c> by default (the AMQP host; 15671 and
    /// https for amqps). Credentials in it override the AMQP URI's, which are used otherwise; never logged.
    /// </summary>
    public Uri? ManagementUri { get; set; }

    /// <summary>Declares receive queues as quorum queues, for a production cluster.</summary>
    public bool QuorumQueues { get; set; }

    /// <summary>Connection attempts at start-up before the host gives up.</summary>
    public int ConnectAttempts { get; set; } = 6;

    /// <summary>The first pause between start-up connection attempts; it doubles after each failure.</summary>
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest pause before a receive endpoint that lost the broker tries again; the first is a quarter of it.
    /// MassTransit's own pauses grow to 30 s, which left workers without consumers long after the broker was back.
    /// </summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The broker has the delayed-message-exchange plugin, so failed messages can be redelivered later.</summary>
    public bool DelayedExchange { get; set; }
}

/// <summary>The <c>Messaging:Retry</c> configuration section: immediate retries inside the consumer's endpoint.</summary>
public sealed class MessageRetryOptions
{
    /// <summary>Pauses before each retry of a transient fault; after the last one the message goes to the <c>_error</c> queue.</summary>
    public IList<TimeSpan> Intervals { get; set; } = [];

    internal static TimeSpan[] DefaultIntervals { get; } =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    internal TimeSpan[] EffectiveIntervals() => Intervals.Count > 0 ? [.. Intervals] : DefaultIntervals;
}

/// <summary>
/// The <c>Messaging:Redelivery</c> configuration section: once the immediate retries of a transient fault are spent,
/// the message goes back to the broker and is delivered again after each pause, so a database outage of minutes
/// holds no consumer slot. It needs a transport that delays messages: the in-memory one does; RabbitMQ does only
/// with the delayed-message-exchange plugin (<see cref="RabbitMqOptions.DelayedExchange"/>). Without it the
/// reconciler announces again what the <c>_error</c> queue kept.
/// </summary>
public sealed class RedeliveryOptions
{
    public IList<TimeSpan> Intervals { get; set; } = [];

    internal static TimeSpan[] DefaultIntervals { get; } =
        [TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(5)];

    internal TimeSpan[] EffectiveIntervals() => Intervals.Count > 0 ? [.. Intervals] : DefaultIntervals;
}

/// <summary>The <c>Messaging:Outbox</c> configuration section.</summary>
public sealed class OutboxRelayOptions
{
    /// <summary>How often the sweeper relays without being signalled.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How old a row must be before a timed sweep takes it, so that the process that wrote it (and signalled its
    /// own relay) normally publishes it first and other processes rarely publish it twice.
    /// </summary>
    public TimeSpan SweepMinimumAge { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rows read and published per round trip.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker's confirmation before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a relay holds the rows it claimed; longer than a batch's publishes take. Other processes skip them
    /// until then, and a failed row waits this long before its next attempt.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed attempts after which a row is dead: kept with its last error, no longer published.</summary>
    public int MaxAttempts { get; set; } = 10;
}
