using Aggregator.Application.Periods;
using Aggregator.Application.Submissions;
using Aggregator.Application.Validation;
using Aggregator.Core.Forms;
using Aggregator.Core.Text;
using Aggregator.Core.Values;
using Aggregator.Pipeline.Tests.Support;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>正文与表格不符: a version's narrative, however it came in, checked against its own tables when it is validated.</summary>
public sealed class NarrativeFigureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_json_narrative_stating_another_figure_than_its_table_gets_a_stored_warning_and_one_that_agrees_does_not()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        var document = TestDocuments.Valid("T-D01", seed: 3).Document;
        var inTable = TableNormalizer.Normalize(FormCatalog.Default.Get(document.FormatId), document).Table.GetValue("s3.r1_new.total")!.Value;
        async Task<(Guid Id, int Version, string? Outcome)> SubmitAndValidateAsync(decimal stated)
        {
            var narrative = $"一、总体情况\n2019年，本机关共收到政府信息公开申请{stated}件，均按期答复。";
            var receipt = (await intake.SubmitAsync(period.Id, (document with { Narrative = narrative }).ToJson(), TestActors.Office, false, Ct)).Value.Receipt!;
            return (receipt.SubmissionId, receipt.Version, (await validation.ValidateAsync(receipt.SubmissionId, receipt.Version, Ct)).Outcome);
        }

        var contradicted = await SubmitAndValidateAsync(inTable + 6);
        var agreeing = await SubmitAndValidateAsync(inTable);

        Assert.Equal(("accepted_with_warnings", "accepted"), (contradicted.Outcome, agreeing.Outcome));
        var verdict = (await harness.Get<SubmissionStatusQuery>().GetAsync(contradicted.Id, contradicted.Version, Ct))!;
        var warning = Assert.Single(verdict.Violations);
        Assert.Equal((NarrativeCheck.RuleId, "warning"), (warning.Rule, warning.Severity));
        Assert.Equal($"正文“2019年，本机关共收到政府信息公开申请{inTable + 6}件，均按期答复”称收到申请 {inTable + 6} 件，表三“一、本年新收政府信息公开申请数量”为 {inTable} 件，两者不一致", warning.Message);
        Assert.Equal(inTable, warning.Cells["s3.r1_new.total"]);
        // The board shows the unit's latest version, which agrees with its table.
        var board = (await harness.Get<CompletenessQuery>().GetAsync(period.Id, Ct))!;
        Assert.DoesNotContain(board.Units.Single(u => u.UnitCode == "T-D01").FailingRules, r => r.Rule == NarrativeCheck.RuleId);
    }
}
