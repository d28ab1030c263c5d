using System.Text.Json;
using Aggregator.Application.Reports;
using Aggregator.Application.Results;
using Aggregator.Application.Rollups;
using Aggregator.Application.Submissions;
using Aggregator.Application.Validation;
using Aggregator.Cli.Demo;
using Aggregator.Contracts;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;
using Aggregator.Testing.Waiting;

namespace Aggregator.Pipeline.Tests.Application;

/// <summary>The processing use cases called directly, as the consumers call them.</summary>
public sealed class ProcessingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Validation_stores_the_same_verdict_a_dry_run_gives_and_a_second_run_changes_nothing()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var broken = new TableGenerator(new Random(3)).Generate(
            new ScenarioUnit("T-D01", "部门", OrgUnitKind.Department, TestDocuments.District, true), TableMistake.BrokenBalance);
        var intake = harness.Get<SubmissionIntake>();
        var dryRun = (await intake.SubmitAsync(period.Id, broken.Document, TestActors.Office, true, Ct)).Value.Verdict!;
        var receipt = (await intake.SubmitAsync(period.Id, broken.Document, TestActors.Office, false, Ct)).Value.Receipt!;
        var validation = harness.Get<SubmissionValidation>();

        var first = await validation.ValidateAsync(receipt.SubmissionId, 1, Ct);
        var signalsAfterFirst = harness.Signal.Count;
        var second = await validation.ValidateAsync(receipt.SubmissionId, 1, Ct);
        var stored = (await harness.Get<SubmissionStatusQuery>().GetAsync(receipt.SubmissionId, 1, Ct))!;

        Assert.Equal((ValidationRunStatus.Validated, "rejected"), (first.Status, first.Outcome));
        Assert.Equal((ValidationRunStatus.AlreadyValidated, "rejected"), (second.Status, second.Outcome));
        Assert.Equal(signalsAfterFirst, harness.Signal.Count);
        Assert.Equal(dryRun.Violations.Select(v => (v.Rule, v.Message)), stored.Violations.Select(v => (v.Rule, v.Message)));
        Assert.Equal(ValidationRunStatus.NotFound, (await validation.ValidateAsync(receipt.SubmissionId, 9, Ct)).Status);
        var pending = await harness.Get<IOutboxStore>().GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10, Ct);
        Assert.DoesNotContain(pending, row => row.MessageType == typeof(SubmissionValidated).FullName);
        var announced = Assert.Single(pending, row => row.MessageType == typeof(SubmissionsValidated).FullName);
        Assert.Equal(
            [new SubmissionValidated { SubmissionId = receipt.SubmissionId, Version = 1, PeriodId = period.Id, UnitCode = "T-D01", Outcome = "rejected" }],
            JsonSerializer.Deserialize<SubmissionsValidated>(announced.Payload, JsonSerializerOptions.Web)!.Versions);
    }

    [Fact]
    public async Task A_rollup_sums_accepted_units_and_sorts_the_others_into_rejected_pending_and_missing()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 5);
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        var generator = new TableGenerator(new Random(17));
        GeneratedSubmission Generate(string code, TableMistake mistake) =>
            generator.Generate(new ScenarioUnit(code, "部门" + code, OrgUnitKind.Department, TestDocuments.District, false), mistake);
        async Task<SubmissionReceipt> SubmitAsync(GeneratedSubmission s) =>
            (await intake.SubmitAsync(period.Id, s.Document, TestActors.Office, false, Ct)).Value.Receipt!;

        var accepted = Generate("T-D01", TableMistake.None);
        var acceptedThenRejected = Generate("T-D02", TableMistake.None);
        await validation.ValidateAsync((await SubmitAsync(accepted)).SubmissionId, 1, Ct);
        await validation.ValidateAsync((await SubmitAsync(acceptedThenRejected)).SubmissionId, 1, Ct);
        var v2 = await SubmitAsync(Generate("T-D02", TableMistake.ResultTotalOff));
        await validation.ValidateAsync(v2.SubmissionId, 2, Ct);
        var rejectedThenPending = await SubmitAsync(Generate("T-D03", TableMistake.BrokenBalance));
        await validation.ValidateAsync(rejectedThenPending.SubmissionId, 1, Ct);
        await SubmitAsync(Generate("T-D03", TableMistake.None));
        await SubmitAsync(Generate("T-D04", TableMistake.None));

        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        var build = await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        var again = await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        var view = (await harness.Get<RollupQuery>().GetAsync(rollupId, Ct))!;

        Assert.Equal((RollupBuildStatus.Computed, 2, 1, 1, 1), (build.Status, build.Included, build.Rejected, build.Missing, build.Pending));
        Assert.Equal(RollupBuildStatus.AlreadyDone, again.Status);
        Assert.Equal([("T-D01", 1), ("T-D02", 1)], view.Included.Select(u => (u.UnitCode, u.Version)));
        var rejected = Assert.Single(view.Rejected);
        Assert.Equal(("T-D03", 1), (rejected.UnitCode, rejected.Version));
        Assert.Contains("S3-BALANCE", rejected.Rules);
        Assert.Equal(["T-D04"], view.Pending.Select(u => u.UnitCode));
        Assert.Equal(["T-D05"], view.Missing.Select(u => u.UnitCode));
        var expected = accepted.IntendedValues.Concat(acceptedThenRejected.IntendedValues)
            .GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Sum(v => v.Value));
        Assert.Equal(expected.OrderBy(v => v.Key, StringComparer.Ordinal), view.Values.OrderBy(v => v.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_accepted_newer_version_makes_the_earlier_rollup_stale_and_only_a_later_rollup_is_fresh()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 2);
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        var staleness = harness.Get<RollupStaleness>();
        async Task<Guid> BuiltRollupAsync()
        {
            var id = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
            await harness.Get<RollupBuilder>().BuildAsync(id, Ct);
            return id;
        }

        var v1 = (await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D01", seed: 1).Document, TestActors.Office, false, Ct)).Value.Receipt!;
        var v1Outcome = (await validation.ValidateAsync(v1.SubmissionId, 1, Ct)).Outcome!;
        var earlier = await BuiltRollupAsync();
        var replayOfSummedVersion = await staleness.MarkAsync(period.Id, "T-D01", v1.SubmissionId, 1, v1Outcome, Ct);
        var v2 = (await intake.SubmitAsync(period.Id, TestDocuments.Valid("T-D01", seed: 2).Document, TestActors.Office, false, Ct)).Value.Receipt!;
        var v2Outcome = (await validation.ValidateAsync(v2.SubmissionId, 2, Ct)).Outcome!;
        var marked = await staleness.MarkAsync(period.Id, "T-D01", v2.SubmissionId, 2, v2Outcome, Ct);
        var markedAgain = await staleness.MarkAsync(period.Id, "T-D01", v2.SubmissionId, 2, v2Outcome, Ct);
        var later = await BuiltRollupAsync();

        Assert.Empty(replayOfSummedVersion);
        Assert.Equal([earlier], marked);
        Assert.Empty(markedAgain);
        Assert.True((await harness.Get<RollupQuery>().GetAsync(earlier, Ct))!.Stale);
        Assert.False((await harness.Get<RollupQuery>().GetAsync(later, Ct))!.Stale);
        Assert.NotNull((await harness.Get<RollupRepository>().GetAsync(earlier, Ct))!.StaleSince);
    }

    [Fact]
    public async Task A_batch_of_validated_versions_marks_what_its_accepted_ones_supersede_and_nothing_for_the_rejected()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 3);
        var intake = harness.Get<SubmissionIntake>();
        var validation = harness.Get<SubmissionValidation>();
        var staleness = harness.Get<RollupStaleness>();
        async Task<SubmissionValidated> ValidatedAsync(string unit, int seed)
        {
            var receipt = (await intake.SubmitAsync(period.Id, TestDocuments.Valid(unit, seed).Document, TestActors.Office, false, Ct)).Value.Receipt!;
            var outcome = (await validation.ValidateAsync(receipt.SubmissionId, receipt.Version, Ct)).Outcome!;
            return new SubmissionValidated { SubmissionId = receipt.SubmissionId, Version = receipt.Version, PeriodId = period.Id, UnitCode = unit, Outcome = outcome };
        }

        var first = await ValidatedAsync("T-D01", 1);
        var other = await ValidatedAsync("T-D02", 1);
        var beforeAnyRollup = await staleness.MarkManyAsync([first, other], Ct);
        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        var replay = await staleness.MarkManyAsync([first, other], Ct);
        var newer = await ValidatedAsync("T-D01", 2);

        var rejectedOnly = await staleness.MarkManyAsync([newer with { Outcome = SubmissionStatus.Rejected }], Ct);
        var marked = await staleness.MarkManyAsync([other, newer, newer], Ct);

        Assert.Empty(beforeAnyRollup);
        Assert.Empty(replay);
        Assert.Empty(rejectedOnly);
        Assert.Equal([rollupId], marked);
        Assert.True((await harness.Get<RollupQuery>().GetAsync(rollupId, Ct))!.Stale);
    }

    [Fact]
    public async Task A_report_is_rendered_once_in_every_format_and_a_repeat_leaves_it_unchanged()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync(departments: 2);
        var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, 1, Ct);
        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        var publication = harness.Get<ReportPublication>();

        var notReady = await publication.PublishAsync(rollupId, Ct);
        await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        var summed = (await harness.Get<RollupQuery>().GetStateAsync(rollupId, Ct))!;
        var beforeRendering = await harness.Get<ReportQuery>().GetAsync(rollupId, "html", Ct);
        var first = await publication.PublishAsync(rollupId, Ct);
        var rendered = (await harness.Get<RollupQuery>().GetStateAsync(rollupId, Ct))!;
        var html = (await harness.Get<ReportRepository>().GetAsync(rollupId, ReportFormat.Html, Ct))!;
        var second = await publication.PublishAsync(rollupId, Ct);
        var htmlAgain = (await harness.Get<ReportRepository>().GetAsync(rollupId, ReportFormat.Html, Ct))!;
        var markdown = (await harness.Get<ReportQuery>().GetAsync(rollupId, "md", "internal", Ct)).Value;
        var publicMarkdown = (await harness.Get<ReportQuery>().GetAsync(rollupId, "md", Ct)).Value;

        Assert.Equal(ReportPublicationStatus.NotReady, notReady.Status);
        Assert.Equal((RollupStatus.Rendering, RollupStatus.Completed), (summed.Status, rendered.Status));
        Assert.Equal("report_not_ready", beforeRendering.Problem!.Code);
        Assert.Equal((ReportPublicationStatus.Rendered, ReportPublicationStatus.AlreadyRendered), (first.Status, second.Status));
        Assert.Equal(["docx", "docx-internal", "html", "html-internal", "md", "md-internal", "xlsx", "xlsx-internal"], first.Formats.Order(StringComparer.Ordinal));
        Assert.Equal((html.Content, html.RenderedAt), (htmlAgain.Content, htmlAgain.RenderedAt));
        Assert.Contains("测试区", html.Content, StringComparison.Ordinal);
        Assert.Equal("text/markdown; charset=utf-8", markdown.MediaType);
        Assert.Contains("测试部门1", markdown.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("测试部门1", publicMarkdown.Content, StringComparison.Ordinal);
        Assert.EndsWith("（内部版）.md", markdown.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_HTML_report_can_be_read_while_the_other_formats_are_still_rendering()
    {
        // The office's Markdown annex is made slow, so the other formats are still rendering when the HTML is read.
        var templates = Directory.CreateTempSubdirectory("aggregator-templates-");
        Directory.CreateDirectory(Path.Combine(templates.FullName, "markdown", "partials"));
        await File.WriteAllTextAsync(
            Path.Combine(templates.FullName, "markdown", "partials", "annexes.sbn-md"),
            "{{ for i in 1..999 }}{{ for j in 1..999 }}{{ for k in 1..4 }}{{ x = i + j + k }}{{ end }}{{ end }}{{ end }}",
            Ct);
        await using var harness = await ApplicationHarness.SqliteAsync(settings: new Dictionary<string, string?>
        {
            ["Reporting:TemplateDirectory"] = templates.FullName,
            ["Reporting:LoopLimit"] = "100000000",
        });
        var period = await harness.OpenSmallDistrictAsync(departments: 2);
        var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, TestDocuments.Valid("T-D01").Document, TestActors.Office, false, Ct)).Value.Receipt!;
        await harness.Get<SubmissionValidation>().ValidateAsync(receipt.SubmissionId, 1, Ct);
        var rollupId = (await harness.Get<RollupRequests>().RequestAsync(period.Id, null, TestActors.Admin, Ct)).Value.RollupId;
        await harness.Get<RollupBuilder>().BuildAsync(rollupId, Ct);
        var reports = harness.Get<ReportQuery>();

        var publishing = harness.Get<ReportPublication>().PublishAsync(rollupId, Ct);
        var html = await Poll.ForAsync(
            async token => (await reports.GetAsync(rollupId, "html", token)) is { IsSuccess: true } read ? read.Value : null,
            "the public HTML report", TimeSpan.FromSeconds(30), Ct);
        var whileRendering = (await harness.Get<RollupQuery>().GetStateAsync(rollupId, Ct))!.Status;
        var markdownWhileRendering = await reports.GetAsync(rollupId, "md", Ct);
        var internalWhileRendering = await reports.GetAsync(rollupId, "html", "internal", Ct);
        var published = await publishing;
        Assert.Null(published.Error);

        Assert.Contains("测试区", html.Content, StringComparison.Ordinal);
        Assert.Equal(RollupStatus.Rendering, whileRendering);
        Assert.Equal(ProblemCodes.ReportNotReady, markdownWhileRendering.Problem!.Code);
        Assert.Equal(ProblemCodes.ReportNotReady, internalWhileRendering.Problem!.Code);
        Assert.Equal(ReportPublicationStatus.Rendered, published.Status);
        Assert.Equal(RollupStatus.Completed, (await harness.Get<RollupQuery>().GetStateAsync(rollupId, Ct))!.Status);
        Assert.Equal(html.Content, (await reports.GetAsync(rollupId, "html", Ct)).Value.Content);
        Assert.True((await reports.GetAsync(rollupId, "md", "internal", Ct)).IsSuccess);
    }
}
