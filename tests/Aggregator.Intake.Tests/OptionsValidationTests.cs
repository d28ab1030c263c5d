using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Databases;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public async Task An_unusable_intake_limit_stops_start_up_naming_the_setting()
    {
        await using var database = await TestDatabases.SqliteAsync();
        await using var factory = new IntakeApiFactory(new Dictionary<string, string?>(database.Settings)
        {
            ["Intake:MaxRequestBodyBytes"] = "0",
            ["Intake:RateLimit:Window"] = "00:00:00",
        });

        var failure = Record.Exception(() => factory.CreateClient());

        var invalid = Assert.IsType<OptionsValidationException>(failure);
        Assert.Equal(["Intake:MaxRequestBodyBytes must be at least 1.", "Intake:RateLimit:Window must be positive."], invalid.Failures);
    }

    [Fact]
    public void The_default_intake_settings_are_valid()
    {
        Assert.True(new IntakeOptionsValidator().Validate(null, new IntakeOptions()).Succeeded);
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions()).Succeeded);
    }
}
