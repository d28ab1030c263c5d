using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Contracts;
using Aggregator.Intake.Problems;
using Aggregator.Pipeline.Tests.Support;
using Aggregator.Storage;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Submissions;

namespace Aggregator.Pipeline.Tests.Application;

public sealed class SubmissionIntakeTests
{
    private const string NaturalPersonNew = "s3.r1_new.natural_person";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stores_a_readable_submission_as_version_1_announces_it_and_wakes_the_relay()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var generated = TestDocuments.Valid("T-D01");

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, generated.Document.ToJson(), TestActors.Office, false, Ct);

        var receipt = result.Value.Receipt!;
        Assert.Equal((1, SubmissionStatus.Received, "T-D01"), (receipt.Version, receipt.Status, receipt.UnitCode));
        Assert.Equal(1, harness.Signal.Count);
        var pending = await harness.Get<IOutboxStore>().GetPendingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 10, Ct);
        var announced = Assert.Single(pending);
        Assert.Equal(typeof(SubmissionReceived).FullName, announced.MessageType);
        Assert.Equal(
            new SubmissionReceived { SubmissionId = receipt.SubmissionId, Version = 1, PeriodId = period.Id, UnitCode = "T-D01" },
            JsonSerializer.Deserialize<SubmissionReceived>(announced.Payload, JsonSerializerOptions.Web));
        var cells = await harness.Get<SubmissionRepository>().GetCellsAsync(receipt.SubmissionId, 1, Ct);
        Assert.Equal(generated.IntendedValues.OrderBy(v => v.Key, StringComparer.Ordinal), cells.Select(c => KeyValuePair.Create(c.CellId, c.Value!.Value)));
    }

    [Fact]
    public async Task A_resubmission_becomes_version_2_and_keeps_version_1()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();

        var first = await intake.SubmitAsync(period.Id, TestDocuments.Json("T-D01", seed: 1).ToJsonString(), TestActors.Office, false, Ct);
        var second = await intake.SubmitAsync(period.Id, TestDocuments.Json("T-D01", seed: 2).ToJsonString(), TestActors.Office, false, Ct);

        Assert.Equal(first.Value.Receipt!.SubmissionId, second.Value.Receipt!.SubmissionId);
        Assert.Equal(2, second.Value.Receipt.Version);
        var versions = await harness.Get<SubmissionStatusQuery>().ListVersionsAsync(first.Value.Receipt.SubmissionId, Ct);
        Assert.Equal([1, 2], versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Keeps_a_yuan_amount_as_written_and_stores_it_in_ten_thousand_yuan()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var document = TestDocuments.Json("T-D01").WithCell("s2_9.central_procurement.total_amount", "251000元");

        var receipt = (await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document.ToJsonString(), TestActors.Office, false, Ct)).Value.Receipt!;

        var cell = (await harness.Get<SubmissionRepository>().GetCellsAsync(receipt.SubmissionId, 1, Ct))
            .Single(c => c.CellId == "s2_9.central_procurement.total_amount");
        Assert.Equal((25.1m, "251000元"), (cell.Value!.Value, cell.RawText));
    }

    [Fact]
    public async Task A_unit_key_submits_for_its_own_unit_when_the_document_names_none()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var document = TestDocuments.Json("T-D02");
        document.Remove("unit_code");

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document.ToJsonString(), TestActors.UnitKey("T-D02"), false, Ct);

        Assert.Equal("T-D02", result.Value.Receipt!.UnitCode);
    }

    [Fact]
    public async Task Refuses_a_unit_key_submitting_for_another_unit()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(
            period.Id, TestDocuments.Json("T-D01").ToJsonString(), TestActors.UnitKey("T-D02"), false, Ct);

        Assert.Equal((ProblemCodes.NotYourUnit, 403), (result.Problem?.Code, ProblemStatus.Of(result.Problem?.Code ?? "")));
        Assert.Equal(0, harness.Signal.Count);
    }

    [Fact]
    public async Task Refuses_an_unknown_or_closed_period()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var intake = harness.Get<SubmissionIntake>();
        var json = TestDocuments.Json("T-D01").ToJsonString();

        var unknown = await intake.SubmitAsync(Guid.NewGuid(), json, TestActors.Office, false, Ct);
        await harness.Get<PeriodService>().CloseAsync(period.Id, TestActors.Admin, Ct);
        var closed = await intake.SubmitAsync(period.Id, json, TestActors.Office, false, Ct);

        Assert.Equal((ProblemCodes.PeriodNotFound, 404), (unknown.Problem?.Code, ProblemStatus.Of(unknown.Problem?.Code ?? "")));
        Assert.Equal((ProblemCodes.PeriodClosed, 409), (closed.Problem?.Code, ProblemStatus.Of(closed.Problem?.Code ?? "")));
    }

    [Theory]
    [InlineData("unit_code", "T-DIST", ProblemCodes.UnitNotExpected)]
    [InlineData("unit_code", "T-D99", ProblemCodes.UnitNotExpected)]
    [InlineData("unit_code", "bad code", ProblemCodes.InvalidUnitCode)]
    [InlineData("format_id", "fmt_2021", ProblemCodes.WrongFormat)]
    [InlineData("format_id", "no_such_form", ProblemCodes.WrongFormat)]
    [InlineData("year", "2020", ProblemCodes.WrongYear)]
    public async Task Refuses_a_document_for_the_wrong_unit_format_or_year(string field, string value, string code)
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var document = TestDocuments.Json("T-D01");
        document[field] = field == "year" ? JsonValue.Create(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(value);

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document.ToJsonString(), TestActors.Office, false, Ct);

        Assert.Equal(code, result.Problem?.Code);
        Assert.Equal(0, harness.Signal.Count);
    }

    [Theory]
    [InlineData("\"十二\"", ProblemCodes.InvalidValue, "VALUE-FORMAT")]
    [InlineData("-3", ProblemCodes.NegativeCount, "ALL-NONNEG-INT")]
    [InlineData("2.5", ProblemCodes.NotAnInteger, "ALL-NONNEG-INT")]
    [InlineData("\"12元\"", ProblemCodes.WrongUnit, "VALUE-UNIT")]
    [InlineData("1000000000000000", ProblemCodes.ValueOutOfRange, "VALUE-RANGE")]
    public async Task Refuses_an_unreadable_value_naming_the_cell_and_what_was_written(string json, string code, string rule)
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var document = TestDocuments.Json("T-D01").WithCell(NaturalPersonNew, JsonNode.Parse(json));

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document.ToJsonString(), TestActors.Office, false, Ct);

        Assert.Equal((code, 422), (result.Problem?.Code, ProblemStatus.Of(result.Problem?.Code ?? "")));
        var cell = Assert.Single(result.Problem!.Cells);
        Assert.Equal((NaturalPersonNew, rule), (cell.Cell, cell.Rule));
        Assert.Equal(JsonNode.Parse(json)!.ToString(), cell.Raw);
        Assert.Contains("本年新收", cell.Message, StringComparison.Ordinal);
        Assert.Null(await harness.Get<SubmissionRepository>().FindAsync(period.Id, "T-D01", Ct));
    }

    [Fact]
    public async Task Refuses_a_cell_the_form_does_not_have()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var document = TestDocuments.Json("T-D01").WithCell("s3.r9_imaginary.total", 4);

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document.ToJsonString(), TestActors.Office, false, Ct);

        Assert.Equal(ProblemCodes.UnknownCell, result.Problem?.Code);
        Assert.Equal("s3.r9_imaginary.total", Assert.Single(result.Problem!.Cells).Cell);
    }

    [Fact]
    public async Task Refuses_a_cell_written_twice_rather_than_keeping_one_of_the_values()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var json = TestDocuments.Json("T-D01").ToJsonString()
            .Replace("\"values\":{", $"\"values\":{{\"{NaturalPersonNew}\":1,\"{NaturalPersonNew}\":2,", StringComparison.Ordinal);

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, json, TestActors.Office, false, Ct);

        Assert.Equal(ProblemCodes.DuplicateCell, result.Problem?.Code);
        Assert.Equal(NaturalPersonNew, Assert.Single(result.Problem!.Cells).Cell);
    }

    [Theory]
    [InlineData("{\"format_id\": \"fmt_2019\", ", ProblemCodes.InvalidJson)]
    [InlineData("[1, 2]", ProblemCodes.InvalidRequest)]
    [InlineData("{\"year\": 2019, \"unit_name\": \"某局\"}", ProblemCodes.InvalidRequest)]
    public async Task Refuses_text_that_is_not_a_submission_document(string json, string code)
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, json, TestActors.Office, false, Ct);

        Assert.Equal((code, 400), (result.Problem?.Code, ProblemStatus.Of(result.Problem?.Code ?? "")));
        Assert.False(string.IsNullOrWhiteSpace(result.Problem!.Detail));
    }

    [Fact]
    public async Task A_dry_run_reports_the_broken_rules_and_stores_nothing()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();
        var document = TestDocuments.Json("T-D01");
        var carryOut = TestDocuments.Valid("T-D01").IntendedValues.GetValueOrDefault("s3.r4_carry_out.natural_person");
        document.WithCell("s3.r4_carry_out.natural_person", carryOut + 2);

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, document.ToJsonString(), TestActors.Office, true, Ct);

        var verdict = result.Value.Verdict!;
        Assert.Null(result.Value.Receipt);
        Assert.Equal("rejected", verdict.Outcome);
        Assert.Contains(verdict.Violations, v => v.Rule == "S3-BALANCE" && v.IsError && v.Cells.ContainsKey("s3.r4_carry_out.natural_person"));
        Assert.Null(await harness.Get<SubmissionRepository>().FindAsync(period.Id, "T-D01", Ct));
        Assert.Equal(0, harness.Signal.Count);
    }

    [Fact]
    public async Task A_dry_run_of_a_valid_table_is_accepted()
    {
        await using var harness = await ApplicationHarness.SqliteAsync();
        var period = await harness.OpenSmallDistrictAsync();

        var result = await harness.Get<SubmissionIntake>().SubmitAsync(period.Id, TestDocuments.Valid("T-D03").Document, TestActors.Office, true, Ct);

        Assert.Contains(result.Value.Verdict!.Outcome, new[] { "accepted", "accepted_with_warnings" });
        Assert.DoesNotContain(result.Value.Verdict.Violations, v => v.IsError);
    }
}
