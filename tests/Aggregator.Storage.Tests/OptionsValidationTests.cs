using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aggregator.Storage.Tests;

public sealed class OptionsValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_database_provider_stops_start_up_naming_the_setting()
    {
        using var host = Build(new() { ["Database:Provider"] = "oracle" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Database:Provider must be one of sqlite, postgres, sqlserver (it is 'oracle').", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_unusable_database_setting_is_named_at_start_up()
    {
        using var host = Build(new() { ["Database:ConnectionString"] = " ", ["Database:StartupRetries"] = "-1" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Database:ConnectionString is required.", failure.Failures);
        Assert.Contains("Database:StartupRetries must be zero or more.", failure.Failures);
    }

    [Fact]
    public async Task Sound_database_settings_start()
    {
        using var host = Build(new() { ["Database:Provider"] = "postgresql", ["Database:ConnectionString"] = "Host=db" });

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public void Options_given_directly_are_checked_when_registered()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            new ServiceCollection().AddAggregatorStorage(new DatabaseOptions { Provider = "mysql" }));

        Assert.Contains("Database:Provider must be one of sqlite, postgres, sqlserver", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unusable_cleanup_settings_stop_start_up_naming_each_setting()
    {
        using var host = Build(
            new()
            {
                ["Database:ConnectionString"] = "Data Source=unused.db",
                ["Database:Cleanup:Interval"] = "00:00:00",
                ["Database:Cleanup:IdempotencyKeyRetention"] = "00:10:00",
            },
            withCleanup: true);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Database:Cleanup:Interval must be positive.", failure.Failures);
        Assert.Contains("Database:Cleanup:IdempotencyKeyRetention must be at least one hour.", failure.Failures);
    }

    private static IHost Build(Dictionary<string, string?> settings, bool withCleanup = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAggregatorStorage(builder.Configuration);
        if (withCleanup)
            builder.Services.AddDatabaseCleanup(builder.Configuration);
        return builder.Build();
    }
}
