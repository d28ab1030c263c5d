using Aggregator.Application.Security;
using Aggregator.Storage;
using Aggregator.Storage.ApiKeys;
using Aggregator.Testing.Databases;

namespace Aggregator.Intake.Tests;

/// <summary>The authenticator remembers stored keys briefly; a revocation made elsewhere must still hold within that time.</summary>
public sealed class ApiKeyLookupTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_revoked_by_another_process_is_refused_once_the_lookup_lifetime_has_passed()
    {
        await using var database = await (await TestDatabases.SqliteAsync()).MigrateAsync(Token);
        var keys = new ApiKeyRepository(database.CreateConnectionFactory(), new StorageClock(TimeProvider.System));
        var time = new SteppedTime();
        var authenticator = new ApiKeyAuthenticator(keys, time);
        var key = ApiKeyText.Generate();
        ApiKeyText.TryParse(key, out var prefix);
        var stored = await keys.AddAsync(
            new ApiKey { Id = Guid.CreateVersion7(), KeyPrefix = prefix!, KeyHash = ApiKeyText.Hash(key), Role = ApiKeyRole.Ops, Label = "lookup", CreatedAt = default },
            Actor.Cli, Token);

        var before = await authenticator.AuthenticateAsync(key, Token);
        await keys.RevokeAsync(stored.Id, Actor.Cli, Token);
        time.Advance(ApiKeyAuthenticator.LookupLifetime - TimeSpan.FromMilliseconds(1));
        var withinLifetime = await authenticator.AuthenticateAsync(key, Token);
        var wrongSecret = await authenticator.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), Token);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var after = await authenticator.AuthenticateAsync(key, Token);

        Assert.Equal(stored.Id, before.Identity?.KeyId);
        Assert.Equal(stored.Id, withinLifetime.Identity?.KeyId);
        Assert.Equal(ApiKeyRefusal.Unknown, wrongSecret.Refusal);
        Assert.Null(after.Identity);
        Assert.Equal(ApiKeyRefusal.Revoked, after.Refusal);
        Assert.True(ApiKeyAuthenticator.LookupLifetime <= TimeSpan.FromSeconds(5));
    }

    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks = 1_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
