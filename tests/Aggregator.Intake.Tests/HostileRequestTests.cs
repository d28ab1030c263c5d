using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Intake.Tests.Support;

namespace Aggregator.Intake.Tests;

/// <summary>
/// Hostile and malformed requests, each with its own clear answer: the status, the problem code, and a database that
/// holds exactly what it held before (the row count of every table, audit log and outbox included).
/// </summary>
public sealed class HostileRequestTests(World world) : IClassFixture<World>
{
    public static TheoryData<string> Cases => [.. HostileCases.All.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_gets_its_own_answer_and_changes_nothing(string name)
    {
        var hostile = HostileCases.All[name];
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(hostile.Build(world));
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode == hostile.Status, $"{name}: expected {hostile.Status}, got {(int)response.StatusCode}: {body}");
        if (hostile.Code is not null)
        {
            var problem = await response.ProblemAsync();
            Assert.Equal(hostile.Code, problem["code"]!.GetValue<string>());
            ResponseExtensions.AssertChineseText(problem["title"]!.GetValue<string>());
            ResponseExtensions.AssertChineseText(problem["detail"]!.GetValue<string>());
        }

        var after = await world.Host.SnapshotAsync();
        Assert.True(after.DifferencesFrom(before).Count == 0, $"{name} changed the database: {string.Join("; ", after.DifferencesFrom(before))}");
    }

    [Fact]
    public void The_suite_holds_at_least_sixty_hostile_requests() => Assert.True(HostileCases.All.Count >= 60, $"{HostileCases.All.Count} cases");
}

/// <summary>A request built against the seeded world, and the answer it must get (<c>Code</c> null: not a problem).</summary>
public sealed record HostileCase(Func<World, HttpRequestMessage> Build, int Status, string? Code);

public static class HostileCases
{
    private const string Units = "/api/v1/units";

    public static IReadOnlyDictionary<string, HostileCase> All { get; } = Build();

    private static string Submissions(Guid period, string query = "") => $"/api/v1/periods/{period}/submissions{query}";

    private static Dictionary<string, HostileCase> Build()
    {
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        void Add(string name, int status, string? code, Func<World, HttpRequestMessage> build) => cases.Add(name, new HostileCase(build, status, code));

        HttpRequestMessage Submit(World w, string key, JsonNode document, string query = "") =>
            Request.Post(Submissions(w.OpenPeriod, query)).WithJson(document).WithKey(w.Key(key));
        HttpRequestMessage SubmitText(World w, string text, string? contentType = "application/json") =>
            Request.Post(Submissions(w.OpenPeriod)).WithText(text, contentType).WithKey(w.U1Key);

        // Who is calling.
        Add("no key", 401, "unauthenticated", _ => Request.Get(Units));
        Add("no key on a state change", 401, "unauthenticated", w => Request.Post(Units).WithJson("""[{"code":"N1","name":"新","kind":"other"}]"""));
        Add("garbage bearer token", 401, "unauthenticated", _ => Request.Get(Units).WithKey("hello"));
        Add("empty bearer token", 401, "unauthenticated", _ => Request.Get(Units).WithHeader("Authorization", "Bearer "));
        Add("basic credentials", 401, "unauthenticated", _ => Request.Get(Units).WithHeader("Authorization", "Basic dXNlcjpwYXNz"));
        Add("garbage X-Api-Key", 401, "unauthenticated", _ => Request.Get(Units).WithHeader("X-Api-Key", "'; DROP TABLE api_keys; --"));
        Add("well-formed unknown key", 401, "unauthenticated", _ => Request.Get(Units).WithKey("agk_zzzzzzzz_" + new string('Q', 43)));
        Add("known prefix with a wrong secret", 401, "unauthenticated", w => Request.Get(Units).WithKey(w.AdminKey[..13] + new string('Q', 43)));
        Add("revoked key", 401, "unauthenticated", w => Request.Get($"/api/v1/periods/{w.OpenPeriod}").WithKey(w.RevokedKey));
        Add("revoked key submitting", 401, "unauthenticated", w => Submit(w, "revoked", Documents.Valid("U3")));
        Add("very long key", 401, "unauthenticated", _ => Request.Get(Units).WithKey("agk_" + new string('a', 5000)));

        // What the caller may do.
        Add("unit key registering units", 403, "forbidden", w => Request.Post(Units).WithJson("""[{"code":"N1","name":"新","kind":"other"}]""").WithKey(w.U1Key));
        Add("ops key opening a period", 403, "forbidden", w => Request.Post("/api/v1/periods").WithJson(new { year = 2021, form_id = "fmt_2021", root_unit = "D", due_date = "2022-01-31" }).WithKey(w.OpsKey));
        Add("ops key submitting", 403, "forbidden", w => Submit(w, "ops", Documents.Valid("U1")));
        Add("unit key submitting for another unit", 403, "not_your_unit", w => Submit(w, "u1", Documents.Valid("U2")));
        Add("unit key reading another unit's submission", 403, "not_your_unit", w => Request.Get($"/api/v1/submissions/{w.U1Submission}").WithKey(w.U2Key));
        Add("unit key reading the audit log", 403, "forbidden", w => Request.Get("/api/v1/audit").WithKey(w.U1Key));
        Add("unit key issuing a key", 403, "forbidden", w => Request.Post("/api/v1/keys").WithJson(new { role = "admin" }).WithKey(w.U1Key));
        Add("unit key requesting a rollup", 403, "forbidden", w => Request.Post($"/api/v1/periods/{w.OpenPeriod}/rollups").WithKey(w.U1Key));
        Add("unit key reading completeness", 403, "forbidden", w => Request.Get($"/api/v1/periods/{w.OpenPeriod}/completeness").WithKey(w.U1Key));
        Add("unit key reading a period it is not in", 403, "forbidden", w => Request.Get($"/api/v1/periods/{w.OpenPeriod}").WithKey(w.X1Key));
        Add("ops key downloading a report", 403, "forbidden", w => Request.Get($"/api/v1/rollups/{w.Rollup}/report").WithKey(w.OpsKey));
        Add("ops key revoking a key", 403, "forbidden", w => Request.Delete($"/api/v1/keys/{Guid.NewGuid()}").WithKey(w.OpsKey));

        // Addresses and parameters.
        Add("submission id that is not a GUID", 400, "invalid_request", w => Request.Get("/api/v1/submissions/not-a-guid").WithKey(w.AdminKey));
        Add("period id that is not a GUID", 400, "invalid_request", w => Request.Get("/api/v1/periods/1%20OR%201=1").WithKey(w.AdminKey));
        Add("key id that is not a GUID", 400, "invalid_request", w => Request.Delete("/api/v1/keys/xyz").WithKey(w.AdminKey));
        Add("unknown submission", 404, "not_found", w => Request.Get($"/api/v1/submissions/{Guid.NewGuid()}").WithKey(w.AdminKey));
        Add("unknown rollup", 404, "not_found", w => Request.Get($"/api/v1/rollups/{Guid.NewGuid()}").WithKey(w.AdminKey));
        Add("report of an unknown rollup", 404, "not_found", w => Request.Get($"/api/v1/rollups/{Guid.NewGuid()}/report").WithKey(w.AdminKey));
        Add("report in an unknown format", 400, "invalid_request", w => Request.Get($"/api/v1/rollups/{w.Rollup}/report?format=pdf").WithKey(w.AdminKey));
        Add("submission to an unknown period", 404, "period_not_found", w => Request.Post(Submissions(Guid.NewGuid())).WithJson(Documents.Valid("U1")).WithKey(w.U1Key));
        Add("closing an unknown period", 404, "period_not_found", w => Request.Post($"/api/v1/periods/{Guid.NewGuid()}/close").WithKey(w.AdminKey));
        Add("rollup of an unknown period", 404, "period_not_found", w => Request.Post($"/api/v1/periods/{Guid.NewGuid()}/rollups").WithKey(w.AdminKey));
        Add("unknown address", 404, "not_found", w => Request.Get("/api/v1/nothing-here").WithKey(w.AdminKey));
        Add("wrong method", 405, "method_not_allowed", w => Request.Put(Units).WithJson("[]").WithKey(w.AdminKey));
        Add("version that is not a number", 400, "invalid_request", w => Request.Get($"/api/v1/submissions/{w.U1Submission}?version=abc").WithKey(w.AdminKey));
        Add("version zero", 400, "invalid_request", w => Request.Get($"/api/v1/submissions/{w.U1Submission}?version=0").WithKey(w.AdminKey));
        Add("version that does not exist", 404, "not_found", w => Request.Get($"/api/v1/submissions/{w.U1Submission}?version=99").WithKey(w.AdminKey));
        Add("audit page size too large", 400, "invalid_request", w => Request.Get("/api/v1/audit?page_size=100000").WithKey(w.AdminKey));
        Add("negative audit page", 400, "invalid_request", w => Request.Get("/api/v1/audit?page=-1").WithKey(w.AdminKey));
        Add("dryRun that is not a boolean", 400, "invalid_request", w => Submit(w, "u1", Documents.Valid("U1"), "?dryRun=maybe"));
        Add("SQL-looking unit in a rollup request", 400, "invalid_unit_code", w => Request.Post($"/api/v1/periods/{w.OpenPeriod}/rollups?unit=U1'%3B%20DROP%20TABLE%20org_units%3B--").WithKey(w.AdminKey));
        Add("rollup of a unit outside the period", 422, "unit_not_expected", w => Request.Post($"/api/v1/periods/{w.OpenPeriod}/rollups?unit=X1").WithKey(w.AdminKey));
        Add("over-long idempotency key", 400, "invalid_request", w => Submit(w, "u1", Documents.Valid("U1")).WithHeader("Idempotency-Key", new string('k', 300)));
        Add("idempotency key one longer than the stored column", 400, "invalid_request", w => Submit(w, "u1", Documents.Valid("U1")).WithHeader("Idempotency-Key", new string('k', 129)));

        // The submission against its period.
        Add("closed period", 409, "period_closed", w => Request.Post(Submissions(w.ClosedPeriod)).WithJson(Documents.Valid("U1").With("year", 2020)).WithKey(w.U1Key));
        Add("format that does not match the period", 422, "wrong_format", w => Submit(w, "u1", Documents.Valid("U1").With("format_id", "fmt_2021")));
        Add("unknown format", 422, "wrong_format", w => Submit(w, "u1", Documents.Valid("U1").With("format_id", "fmt_1999")));
        Add("wrong year", 422, "wrong_year", w => Submit(w, "u1", Documents.Valid("U1").With("year", 2018)));
        Add("unit the period does not expect", 422, "unit_not_expected", w => Submit(w, "admin", Documents.Valid("X1")));
        Add("admin submission without a unit code", 400, "invalid_request", w => Submit(w, "admin", Documents.Valid("U1").Without("unit_code")));
        Add("unit code with odd characters", 400, "invalid_unit_code", w => Submit(w, "admin", Documents.Valid("U1").With("unit_code", "U1<script>")));
        Add("SQL-looking unit code in a submission", 400, "invalid_unit_code", w => Submit(w, "admin", Documents.Valid("U1").With("unit_code", "U1' OR '1'='1")));

        // Values.
        Add("unknown cell id", 422, "unknown_cell", w => Submit(w, "u1", Documents.Valid("U1").WithCell("s9.nowhere.total", 1)));
        Add("duplicated cell id", 422, "duplicate_cell", w => SubmitText(w, DuplicateCell(Documents.Valid("U1"))));
        Add("text where a number belongs", 422, "invalid_value", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, "很多")));
        Add("NaN as a string", 422, "invalid_value", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, "NaN")));
        Add("Infinity as a string", 422, "invalid_value", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, "Infinity")));
        Add("boolean as a value", 422, "invalid_value", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, true)));
        Add("object as a value", 422, "invalid_value", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, new JsonObject { ["n"] = 1 })));
        Add("negative count", 422, "negative_count", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, -5)));
        Add("fraction in a count", 422, "not_an_integer", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, 1.5)));
        Add("huge number", 422, "value_out_of_range", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, 1e15)));
        Add("huge number as text", 422, "value_out_of_range", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, "999999999999999999999999")));
        Add("number beyond any decimal", 422, "invalid_value", w => SubmitText(w, Documents.Valid("U1").WithCell(Documents.CountCell, 424242).ToJsonString().Replace("424242", "1e400", StringComparison.Ordinal)));
        Add("wrong unit for money", 422, "wrong_unit", w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.MoneyCell, "5件")));

        // The document's shape.
        Add("values as an array", 400, "invalid_request", w => Submit(w, "u1", Documents.Valid("U1").With("values", new JsonArray(1, 2, 3))));
        Add("body is an array", 400, "invalid_request", w => SubmitText(w, "[1,2,3]"));
        Add("body is null", 400, "invalid_request", w => SubmitText(w, "null"));
        Add("missing format_id", 400, "invalid_request", w => Submit(w, "u1", Documents.Valid("U1").Without("format_id")));
        Add("year in Chinese numerals", 400, "invalid_request", w => Submit(w, "u1", Documents.Valid("U1").With("year", "二〇一九")));
        Add("duplicated top-level key", 400, "invalid_request", w => SubmitText(w, Documents.Valid("U1").ToJsonString().Replace("{\"format_id\"", "{\"year\":2018,\"format_id\"", StringComparison.Ordinal)));

        // The body as bytes.
        Add("empty body", 400, "invalid_json", w => SubmitText(w, ""));
        Add("whitespace body", 400, "invalid_json", w => SubmitText(w, " \r\n\t "));
        Add("truncated JSON", 400, "invalid_json", w => SubmitText(w, Documents.Valid("U1").ToJsonString()[..200]));
        Add("JSON with comments", 400, "invalid_json", w => SubmitText(w, "/* hi */" + Documents.Valid("U1").ToJsonString()));
        Add("trailing comma", 400, "invalid_json", w => SubmitText(w, Documents.Valid("U1").ToJsonString()[..^1] + ",}"));
        Add("single-quoted JSON", 400, "invalid_json", w => SubmitText(w, "{'format_id':'fmt_2019'}"));
        Add("XML body labelled as JSON", 400, "invalid_json", w => SubmitText(w, "<submission><year>2019</year></submission>"));
        Add("XML body", 415, "unsupported_media_type", w => SubmitText(w, "<submission><year>2019</year></submission>", "application/xml"));
        Add("plain text body", 415, "unsupported_media_type", w => SubmitText(w, Documents.Valid("U1").ToJsonString(), "text/plain"));
        Add("form body", 415, "unsupported_media_type", w => SubmitText(w, "year=2019", "application/x-www-form-urlencoded"));
        Add("no content type", 415, "unsupported_media_type", w => SubmitText(w, Documents.Valid("U1").ToJsonString(), null));
        Add("JSON in another charset", 415, "unsupported_media_type", w => SubmitText(w, Documents.Valid("U1").ToJsonString(), "application/json; charset=iso-8859-1"));
        Add("JSON declared as GBK", 415, "unsupported_media_type", w => SubmitText(w, Documents.Valid("U1").ToJsonString(), "application/json; charset=gbk"));
        Add("invalid UTF-8", 400, "invalid_utf8", w => Request.Post(Submissions(w.OpenPeriod)).WithBytes(InvalidUtf8(), "application/json").WithKey(w.U1Key));
        Add("GBK bytes sent as UTF-8", 400, "invalid_utf8", w => Request.Post(Submissions(w.OpenPeriod)).WithBytes(GbkLikeBytes(), "application/json").WithKey(w.U1Key));
        Add("10 MB body", 413, "payload_too_large", w => Request.Post(Submissions(w.OpenPeriod)).WithBytes(HugeJson(10 * 1024 * 1024), "application/json").WithKey(w.U1Key));
        Add("10 MB body without a length", 413, "payload_too_large", w => ChunkedHugeBody(w));
        Add("200-deep nesting", 400, "json_too_deep", w => SubmitText(w, new string('[', 200) + new string(']', 200)));
        Add("deep nesting inside values", 400, "json_too_deep", w => SubmitText(w, Documents.Valid("U1").ToJsonString().Replace("\"values\":{", "\"values\":{\"x\":" + new string('[', 100) + new string(']', 100) + ",", StringComparison.Ordinal)));

        // Units.
        Add("control characters in a unit name", 400, "invalid_request", w => Request.Post(Units).WithJson(new[] { new { code = "N1", name = "新\u0007单位\n", kind = "other" } }).WithKey(w.AdminKey));
        Add("SQL-looking unit code", 400, "invalid_unit_code", w => Request.Post(Units).WithJson(new[] { new { code = "x'; DROP TABLE org_units; --", name = "新单位", kind = "other" } }).WithKey(w.AdminKey));
        Add("unit code in Chinese", 400, "invalid_unit_code", w => Request.Post(Units).WithJson(new[] { new { code = "甲局", name = "新单位", kind = "other" } }).WithKey(w.AdminKey));
        Add("unit code of 65 characters", 400, "invalid_unit_code", w => Request.Post(Units).WithJson(new[] { new { code = new string('A', 65), name = "新单位", kind = "other" } }).WithKey(w.AdminKey));
        Add("path traversal in a parent code", 400, "invalid_unit_code", w => Request.Post(Units).WithJson(new[] { new { code = "N1", name = "新单位", kind = "other", parent = "../D" } }).WithKey(w.AdminKey));
        Add("oversized batch of units", 400, "invalid_request", w => Request.Post(Units).WithJson(Enumerable.Range(0, 5001).Select(i => new { code = $"B{i}", name = $"单位{i}", kind = "other" }).ToArray()).WithKey(w.AdminKey));
        Add("empty batch of units", 400, "invalid_request", w => Request.Post(Units).WithJson("[]").WithKey(w.AdminKey));
        Add("unknown unit kind", 400, "invalid_request", w => Request.Post(Units).WithJson(new[] { new { code = "N1", name = "新单位", kind = "ministry" } }).WithKey(w.AdminKey));
        Add("unknown parent", 400, "invalid_request", w => Request.Post(Units).WithJson(new[] { new { code = "N1", name = "新单位", kind = "other", parent = "NOPE" } }).WithKey(w.AdminKey));
        Add("unknown property in a unit", 400, "invalid_request", w => Request.Post(Units).WithJson("""[{"code":"N1","name":"新单位","kind":"other","parentCode":"D"}]""").WithKey(w.AdminKey));
        Add("object where the unit array belongs", 400, "invalid_request", w => Request.Post(Units).WithJson(new { code = "N1", name = "新单位", kind = "other" }).WithKey(w.AdminKey));
        Add("number where a unit name belongs", 400, "invalid_request", w => Request.Post(Units).WithJson("""[{"code":"N1","name":123,"kind":"other"}]""").WithKey(w.AdminKey));
        Add("null unit name", 400, "invalid_request", w => Request.Post(Units).WithJson("""[{"code":"N1","name":null,"kind":"other"}]""").WithKey(w.AdminKey));
        Add("unit registered twice in one batch", 400, "invalid_request", w => Request.Post(Units).WithJson("""[{"code":"N1","name":"甲","kind":"other"},{"code":"N1","name":"乙","kind":"other"}]""").WithKey(w.AdminKey));
        Add("duplicated key in a unit", 400, "invalid_request", w => Request.Post(Units).WithJson("""[{"code":"N1","code":"N2","name":"甲","kind":"other"}]""").WithKey(w.AdminKey));

        // Periods and keys.
        Add("both spellings of one period field", 400, "invalid_request", w => Request.Post("/api/v1/periods").WithJson("""{"year":2021,"formId":"fmt_2021","form_id":"fmt_2021","root_unit":"D","due_date":"2022-01-31"}""").WithKey(w.AdminKey));
        Add("due date that is not a date", 400, "invalid_request", w => Request.Post("/api/v1/periods").WithJson(new { year = 2021, form_id = "fmt_2021", root_unit = "D", due_date = "下个月" }).WithKey(w.AdminKey));
        Add("second period of a root and year", 409, "conflict", w => Request.Post("/api/v1/periods").WithJson(new { year = 2019, form_id = "fmt_2019", root_unit = "D", due_date = "2020-03-31" }).WithKey(w.AdminKey));
        Add("form that does not cover the year", 400, "invalid_request", w => Request.Post("/api/v1/periods").WithJson(new { year = 2023, form_id = "fmt_2019", root_unit = "D", due_date = "2024-01-31" }).WithKey(w.AdminKey));
        Add("key with an unknown role", 400, "invalid_request", w => Request.Post("/api/v1/keys").WithJson(new { role = "superuser", label = "x" }).WithKey(w.AdminKey));
        Add("unit key for an unregistered unit", 400, "invalid_request", w => Request.Post("/api/v1/keys").WithJson(new { role = "unit", unit_code = "NOPE", label = "x" }).WithKey(w.AdminKey));
        Add("unit key with a path in its unit code", 400, "invalid_unit_code", w => Request.Post("/api/v1/keys").WithJson(new { role = "unit", unit_code = "../etc/passwd" }).WithKey(w.AdminKey));
        Add("admin key bound to a unit", 400, "invalid_request", w => Request.Post("/api/v1/keys").WithJson(new { role = "admin", unit_code = "U1" }).WithKey(w.AdminKey));
        Add("revoking an unknown key", 404, "not_found", w => Request.Delete($"/api/v1/keys/{Guid.NewGuid()}").WithKey(w.AdminKey));

        // Accepted, yet nothing may be stored.
        Add("dry run of a valid table", 200, null, w => Submit(w, "u1", Documents.Valid("U1"), "?dryRun=true"));
        Add("dry run with null values", 200, null, w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, null), "?dryRun=true"));
        Add("dry run with full-width digits", 200, null, w => Submit(w, "u1", Documents.Valid("U1").WithCell(Documents.CountCell, "１２"), "?dryRun=true"));
        Add("dry run with unknown top-level fields", 200, null, w => Submit(w, "u1", Documents.Valid("U1").With("narrative", "说明").With("seed", 3), "?dryRun=true"));
        return cases;
    }

    private static string DuplicateCell(JsonObject document)
    {
        var json = document.ToJsonString();
        return json.Replace("\"values\":{", $"\"values\":{{\"{Documents.CountCell}\":1,", StringComparison.Ordinal);
    }

    private static byte[] InvalidUtf8()
    {
        var json = Encoding.UTF8.GetBytes(Documents.Valid("U1").With("unit_name", "XX").ToJsonString());
        var at = Array.IndexOf(json, (byte)'X');
        json[at] = 0xC3;
        json[at + 1] = 0x28;
        return json;
    }

    // "测试" in GBK: legal in that encoding, never valid UTF-8.
    private static byte[] GbkLikeBytes() =>
        [.. Encoding.UTF8.GetBytes("{\"unit_name\":\""), 0xB2, 0xE2, 0xCA, 0xD4, .. Encoding.UTF8.GetBytes("\"}")];

    private static byte[] HugeJson(int size)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)' ');
        bytes[0] = (byte)'{';
        bytes[^1] = (byte)'}';
        return bytes;
    }

    private static HttpRequestMessage ChunkedHugeBody(World world)
    {
        var request = Request.Post(Submissions(world.OpenPeriod)).WithKey(world.U1Key);
        var content = new StreamContent(new MemoryStream(HugeJson(10 * 1024 * 1024)));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Content = content;
        request.Headers.TransferEncodingChunked = true;
        return request;
    }
}
