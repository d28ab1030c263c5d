using System.Diagnostics;
using Aggregator.Cli;
using Aggregator.Cli.Demo;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>The <c>aggregator</c> process told to stop in the middle of a large rollup: it stops at once and leaves its database consistent.</summary>
public sealed class CliSignalTests
{
    // The command's own grace period is 2 s; the rest is process start-up and scheduling on a busy machine.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rollup_stopped_by_SIGTERM_exits_within_seconds_with_143_and_its_rollup_marked_interrupted()
    {
        var scenario = DistrictScenario.Create(800, seed: 15, withMistakes: true, missing: 0);
        var folder = Directory.CreateTempSubdirectory("aggregator-signal-in-");
        foreach (var submission in scenario.Submissions)
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, submission.Unit.Code + ".json"), submission.Document.ToJson(), Ct);
        }

        var database = Path.Combine(Path.GetTempPath(), $"aggregator-signal-{Guid.NewGuid():N}.db");
        var output = Path.Combine(Path.GetTempPath(), $"aggregator-signal-out-{Guid.NewGuid():N}");
        using var cli = StartCli("rollup", folder.FullName, "--out", output, "--db", database);
        var rollingUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        cli.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
                return;
            stdout.Enqueue(line);
            if (line.StartsWith("汇总 rolling up", StringComparison.Ordinal))
                rollingUp.TrySetResult();
        };
        cli.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
                stderr.Enqueue(line);
        };
        cli.BeginOutputReadLine();
        cli.BeginErrorReadLine();

        var started = await Task.WhenAny(rollingUp.Task, cli.WaitForExitAsync(Ct), Task.Delay(TimeSpan.FromMinutes(3), Ct));
        Assert.True(started == rollingUp.Task, $"The rollup never started. stdout: {string.Join(" | ", stdout)} stderr: {string.Join(" | ", stderr)}");
        using (var kill = Process.Start("kill", ["-TERM", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Ct);
        }

        var stopwatch = Stopwatch.StartNew();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(ExitBound);
        try
        {
            await cli.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            cli.Kill();
            Assert.Fail($"The CLI still ran {ExitBound.TotalSeconds:0} s after SIGTERM. stderr: {string.Join(" | ", stderr)}");
        }

        var elapsed = stopwatch.Elapsed;
        Assert.True(cli.ExitCode == ExitCodes.Terminated, $"exit code {cli.ExitCode} after {elapsed.TotalSeconds:0.0} s; stderr: {string.Join(" | ", stderr)}");
        Assert.Contains(stderr, line => line.Contains("收到 SIGTERM", StringComparison.Ordinal));
        Assert.Contains(stderr, line => line.Contains("已中断", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(output, "report.html")));

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA integrity_check", cancellationToken: Ct)));
        var rollup = await connection.QuerySingleAsync<(string Status, string? ErrorCode, string? Error, string? ComputedAt, string Id)>(new CommandDefinition(
            "SELECT status, error_code, error, computed_at, id FROM rollups", cancellationToken: Ct));
        Assert.Equal(("failed", "rollup_interrupted"), (rollup.Status, rollup.ErrorCode));
        Assert.Contains("汇总被中断", rollup.Error, StringComparison.Ordinal);
        var key = new { rollup.Id };
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM reports WHERE rollup_id = @Id", key, cancellationToken: Ct)));
        var values = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rollup_values WHERE rollup_id = @Id", key, cancellationToken: Ct));
        var listed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT (SELECT COUNT(*) FROM rollup_inputs WHERE rollup_id = @Id) + (SELECT COUNT(*) FROM rollup_exclusions WHERE rollup_id = @Id)", key, cancellationToken: Ct));
        // Its sums were stored whole (every unit listed once) or not at all.
        Assert.True(rollup.ComputedAt is null ? values == 0 && listed == 0 : values > 0 && listed == scenario.Units.Count,
            $"computed_at {rollup.ComputedAt}, {values} values, {listed} units listed");
    }

    // The CLI is built beside the tests as a referenced project, with its own runtime configuration.
    private static Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
