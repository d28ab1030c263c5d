using Polly;
using Polly.Retry;

namespace Aggregator.Storage.Connections;

/// <summary>Polly pipelines for opening connections: a short one for every call, a patient one for start-up.</summary>
public static class ConnectionResilience
{
    public static ResiliencePipeline ForCalls() => Build(retries: 3, delay: TimeSpan.FromMilliseconds(100));

    public static ResiliencePipeline ForStartup(DatabaseOptions options, Action<Exception, int>? onRetry = null) =>
        Build(Math.Max(0, options.StartupRetries), options.StartupRetryDelay, onRetry);

    private static ResiliencePipeline Build(int retries, TimeSpan delay, Action<Exception, int>? onRetry = null)
    {
        if (retries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                Delay = delay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientDatabaseErrors.IsTransient),
                OnRetry = arguments =>
                {
                    if (arguments.Outcome.Exception is { } exception)
                    {
                        onRetry?.Invoke(exception, arguments.AttemptNumber + 1);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
