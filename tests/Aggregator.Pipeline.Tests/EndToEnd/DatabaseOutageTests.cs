using System.Diagnostics;
using Aggregator.Application.Periods;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Cli.Hosting;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Testing.Databases;
using Dapper;
using Npgsql;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>The embedded pipeline over a PostgreSQL server of this test's own, which the test stops mid-load.</summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Units = 80;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_submission_accepted_around_a_database_outage_is_validated_once_and_summed()
    {
        await using var server = await PrivatePostgres.StartAsync(Ct);
        await using var database = await server.CreateDatabaseAsync(Ct);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Messaging:Retry:Intervals:0"] = "00:00:00.100",
            ["Messaging:Redelivery:Intervals:0"] = "00:00:01",
            ["Messaging:Redelivery:Intervals:1"] = "00:00:02",
            ["Reconciler:Interval"] = "00:00:00.500",
            ["Reconciler:StalledAfter"] = "00:00:05",
        };
        await using var pipeline = await EmbeddedPipeline.StartAsync(Path.Combine(Path.GetTempPath(), $"outage-{Guid.NewGuid():N}.db"), Ct, settings);
        await pipeline.Get<UnitRegistry>().UpsertAsync(TestDocuments.SmallDistrict(Units), TestActors.Admin, Ct);
        var period = (await pipeline.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(2019, "fmt_2019", TestDocuments.District, new DateOnly(2020, 1, 31)), TestActors.Admin, Ct)).Value;
        var intake = pipeline.Get<SubmissionIntake>();

        var accepted = new List<Guid>();
        var sent = 0;
        async Task SubmitAsync(int unit)
        {
            Interlocked.Increment(ref sent);
            try
            {
                var result = await intake.SubmitAsync(period.Id, TestDocuments.Valid($"T-D{unit:00}", seed: unit).Document, TestActors.Office, false, Ct);
                if (result.IsSuccess)
                {
                    lock (accepted)
                        accepted.Add(result.Value.Receipt!.SubmissionId);
                }
            }
#pragma warning disable CA1031 // an outage answers with whatever the database client throws; such a submission is simply not accepted
            catch (Exception)
#pragma warning restore CA1031
            {
                await Task.Delay(TimeSpan.FromMilliseconds(400), Ct);
            }
        }

        // A burst, then the stop at once: its messages are consumed while the database is away.
        await Task.WhenAll(Enumerable.Range(1, Units / 3).Select(SubmitAsync));
        await server.StopServerAsync(Ct);
        var outage = Stopwatch.StartNew();
        for (var i = (Units / 3) + 1; i <= Units; i++)
        {
            if (!server.IsRunning && outage.Elapsed > TimeSpan.FromSeconds(20))
                await server.StartServerAsync(Ct);
            await SubmitAsync(i);
        }

        if (!server.IsRunning)
            await server.StartServerAsync(Ct);

        var converging = Stopwatch.StartNew();
        var validated = 0;
        while (converging.Elapsed < TimeSpan.FromSeconds(60))
        {
            validated = await CountAsync(database, "SELECT COUNT(*) FROM validation_results");
            if (validated >= accepted.Count)
                break;
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }

        var healedBy = await CountAsync(database, "SELECT COUNT(*) FROM submission_versions WHERE announced_at IS NOT NULL");
        var stranded = await CountAsync(database, "SELECT COUNT(*) FROM submission_versions WHERE status = 'received'");
        output.WriteLine($"sent {sent} / accepted {accepted.Count} / validated {validated} / lost {stranded} / announced again by the reconciler {healedBy} / time to converge after the last submission {converging.Elapsed.TotalSeconds:0.0} s");
        Assert.True(accepted.Count >= Units / 3, $"only {accepted.Count} of {sent} were accepted");
        Assert.True(accepted.Count < sent, "the outage refused no submission: the database was not really stopped");
        Assert.Equal(0, stranded);
        Assert.Equal(accepted.Count, validated);

        var rollupId = (await pipeline.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        var rollups = pipeline.Get<Aggregator.Storage.Rollups.RollupRepository>();
        var waited = Stopwatch.StartNew();
        while ((await rollups.GetAsync(rollupId, Ct))!.Status is RollupStatus.Requested or RollupStatus.Rendering && waited.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        var rollup = (await rollups.GetAsync(rollupId, Ct))!;
        Assert.Equal(RollupStatus.Completed, rollup.Status);
        Assert.DoesNotContain(rollup.Exclusions, exclusion => exclusion.Reason == ExclusionReason.Pending);
        Assert.Equal(accepted.Count, rollup.Inputs.Count);

        // The independent sum: every stored cell of every accepted version, added up by the database.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        var expected = (await connection.QueryAsync<(string CellId, decimal Total)>(new CommandDefinition("""
            SELECT c.cell_id, SUM(c.value) FROM cell_values c
            JOIN submission_versions v ON v.submission_id = c.submission_id AND v.version = c.version
            WHERE v.status IN ('accepted', 'accepted_with_warnings') AND c.value IS NOT NULL
            GROUP BY c.cell_id
            """, cancellationToken: Ct))).ToDictionary(row => row.CellId, row => row.Total, StringComparer.Ordinal);
        var actual = rollup.Values.Where(value => value.Value is not null).ToDictionary(value => value.CellId, value => value.Value!.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Where(p => expected.ContainsKey(p.Key) || p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static async Task<int> CountAsync(TestDatabase database, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, cancellationToken: Ct));
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }
}
