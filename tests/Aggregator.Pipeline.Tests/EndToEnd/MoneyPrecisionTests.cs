using System.Globalization;
using System.Text.Json.Nodes;
using Aggregator.Cli;
using Aggregator.Pipeline.Tests.Support;

namespace Aggregator.Pipeline.Tests.EndToEnd;

/// <summary>Money through the whole embedded pipeline (core, SQLite, rollup, report): summed and printed to the 分.</summary>
public sealed class MoneyPrecisionTests
{
    private const string AmountCell = "s2_9.central_procurement.total_amount";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("1.50元", "1.50元", "1.50元", "0.00045")]
    [InlineData("73802895.90元", "24252.311082万元", "0.01元", "31632.600673")]
    [InlineData("２５１，０００元", "244.19万元", "7390.1", "7659.39")]
    public async Task The_rollup_command_sums_and_prints_amounts_exactly_to_the_fen(string first, string second, string third, string total)
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-money-in-");
        var output = Path.Combine(Path.GetTempPath(), $"aggregator-money-out-{Guid.NewGuid():N}");
        string[] amounts = [first, second, third];
        for (var i = 0; i < amounts.Length; i++)
        {
            var document = TestDocuments.Json($"M{i + 1}", seed: 20 + i).WithCell(AmountCell, amounts[i]);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"m{i + 1}.json"), document.ToJsonString(), Ct);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Program.RunAsync(["rollup", folder.FullName, "--out", output, "--name", "测试区"], stdout, stderr, Ct);

        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        var rollup = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "rollup.json"), Ct))!;
        Assert.Equal(3, rollup["included"]!.AsArray().Count);
        var consolidated = rollup["values"]![AmountCell]!;
        Assert.Equal(decimal.Parse(total, CultureInfo.InvariantCulture), consolidated.GetValue<decimal>());
        Assert.Equal(total, consolidated.ToJsonString());
        Assert.Contains($"| {total}万元 |", await File.ReadAllTextAsync(Path.Combine(output, "report.md"), Ct), StringComparison.Ordinal);
        Assert.Contains($"data-cell=\"{AmountCell}\">{total}万元</td>", await File.ReadAllTextAsync(Path.Combine(output, "report.html"), Ct), StringComparison.Ordinal);
        Assert.Contains($"政府集中采购总金额（万元）procurement, 10k yuan: {total}{Environment.NewLine}", stdout.ToString(), StringComparison.Ordinal);
    }
}
