using System.Net;
using Aggregator.Intake.Tests.Support;
using Aggregator.Testing.Office;

namespace Aggregator.Intake.Tests;

/// <summary>Every endpoint × every kind of caller → the status the contract promises.</summary>
public sealed class AuthorizationMatrixTests(World world) : IClassFixture<World>
{
    private const string None = "none";
    private const string Admin = "admin";
    private const string Ops = "ops";
    private const string UnitOwn = "unit-own";
    private const string UnitOther = "unit-other";

    private static readonly string[] Roles = [None, Admin, Ops, UnitOwn, UnitOther];

    // Statuses in the order of Roles. A unit's "own" resource: its own unit, submission, or a period expecting it.
    private static readonly Dictionary<string, (int[] Statuses, Func<World, string?, Task<HttpRequestMessage>> Build)> Endpoints = new()
    {
        ["POST /units"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Post("/api/v1/units").WithJson(new[] { new { code = "M1", name = "矩阵单位", kind = "other", parent = "D" } }), key)),
        ["GET /units"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get("/api/v1/units"), key)),
        ["POST /periods"] = ([401, 201, 403, 403, 403], (w, key) => Send(Request.Post("/api/v1/periods").WithJson(new { year = 2021, form_id = "fmt_2021", root_unit = "D", due_date = "2022-01-31" }), key)),
        ["GET /periods"] = ([401, 200, 200, 200, 200], (w, key) => Send(Request.Get("/api/v1/periods"), key)),
        // Another unit of the period gets the list with only its own submission (here: none).
        ["GET /periods/{id}/submissions"] = ([401, 200, 200, 200, 200], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}/submissions"), key)),
        ["GET /periods/{id}/rollups"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}/rollups"), key)),
        ["GET /periods/{id}"] = ([401, 200, 200, 200, 403], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}"), key)),
        ["POST /periods/{id}/close"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.ClosedPeriod}/close"), key)),
        ["POST /periods/{id}/submissions"] = ([401, 202, 403, 202, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.OpenPeriod}/submissions").WithJson(Documents.Valid("U1")), key)),
        ["POST /periods/{id}/submissions/word"] = ([401, 200, 403, 200, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.OpenPeriod}/submissions/word?unit_code=U1").WithBytes(WordDocuments.From(Documents.Valid("U1")), WordDocuments.MediaType), key)),
        ["GET /submissions/{id}"] = ([401, 200, 200, 200, 403], (w, key) => Send(Request.Get($"/api/v1/submissions/{w.U1Submission}"), key)),
        ["GET /periods/{id}/completeness"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}/completeness"), key)),
        ["GET /periods/{id}/completeness/summary"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}/completeness/summary"), key)),
        ["GET /periods/{id}/report-text"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}/report-text"), key)),
        ["PUT /periods/{id}/report-text"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Put($"/api/v1/periods/{w.OpenPeriod}/report-text").WithJson(new { other = "无。" }), key)),
        ["POST /periods/{id}/rollups"] = ([401, 202, 403, 403, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.OpenPeriod}/rollups"), key)),
        ["GET /rollups/{id}"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get($"/api/v1/rollups/{w.Rollup}"), key)),
        ["POST /rollups/{id}/retry"] = ([401, 409, 409, 403, 403], (w, key) => Send(Request.Post($"/api/v1/rollups/{w.Rollup}/retry"), key)),
        ["GET /rollups/{id}/report"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Get($"/api/v1/rollups/{w.Rollup}/report?format=html"), key)),
        // The world's rollup is never computed (no workers run here): the admin gets through to a 409.
        ["GET /rollups/{id}/drilldown"] = ([401, 409, 403, 403, 403], (w, key) => Send(Request.Get($"/api/v1/rollups/{w.Rollup}/drilldown?cell=s3.r1_new.total"), key)),
        ["POST /keys"] = ([401, 201, 403, 403, 403], (w, key) => Send(Request.Post("/api/v1/keys").WithJson(new { role = "ops", label = "矩阵" }), key)),
        ["GET /keys"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Get("/api/v1/keys"), key)),
        ["DELETE /keys/{id}"] = ([401, 204, 403, 403, 403], async (w, key) => Request.Delete($"/api/v1/keys/{await FreshKeyIdAsync(w)}").WithKey(key)),
        ["GET /audit"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Get("/api/v1/audit?page=1&page_size=10"), key)),
        ["GET /ops/queues"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get("/api/v1/ops/queues"), key)),
        ["GET /ops/errors"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get("/api/v1/ops/errors"), key)),
        ["GET /ops/errors/{queue}"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get("/api/v1/ops/errors/aggregator-validate-submission"), key)),
        ["GET /periods/{id}/template.xlsx"] = ([401, 200, 403, 200, 403], (w, key) => Send(Request.Get($"/api/v1/periods/{w.OpenPeriod}/template.xlsx"), key)),
        // The matrix runs embedded: there is nothing to redrive, which ops and admin are told with a 409.
        ["POST /ops/errors/{queue}/redrive"] = ([401, 409, 409, 403, 403], (w, key) => Send(Request.Post("/api/v1/ops/errors/aggregator-validate-submission/redrive").WithJson(new { all = true }), key)),
        // The office's review tools. Only the admin's return gets a fresh validated submission, so that what the
        // other roles are refused is measured against a world that nothing else is changing.
        ["POST /submissions/{id}/return"] = ([401, 200, 403, 403, 403], async (w, key) => Request.Post($"/api/v1/submissions/{(key == w.AdminKey ? await FreshValidatedSubmissionAsync(w) : w.U1Submission)}/return").WithJson(new { reason = "矩阵退回" }).WithKey(key)),
        // U1's table has no warnings (or its newest version is still being validated): the admin gets through to a 409.
        ["POST /submissions/{id}/accept"] = ([401, 409, 403, 403, 403], (w, key) => Send(Request.Post($"/api/v1/submissions/{w.U1Submission}/accept").WithJson(new { justification = "矩阵接受" }), key)),
        ["GET /submissions/{id}/diff"] = ([401, 200, 200, 403, 403], (w, key) => Send(Request.Get($"/api/v1/submissions/{w.U1Submission}/diff?from=1&to=1"), key)),
        ["POST /periods/{id}/units/{unitCode}/reopen"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.ClosedPeriod}/units/U3/reopen"), key)),
        ["POST /periods/{id}/units/{unitCode}/close"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.ClosedPeriod}/units/U3/close"), key)),
        // Unit management: renaming U2 to its own name changes nothing even for the office.
        ["PATCH /units/{code}"] = ([401, 200, 403, 403, 403], (w, key) => Send(new HttpRequestMessage(HttpMethod.Patch, "/api/v1/units/U2").WithJson(new { name = "测试区乙局" }), key)),
        ["POST /keys/bulk"] = ([401, 201, 403, 403, 403], (w, key) => Send(Request.Post("/api/v1/keys/bulk").WithJson(new { unit_codes = new[] { "U2" } }), key)),
        // The import of a unit list: a dry run, so the office's 200 stores nothing either.
        ["POST /units/import"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Post("/api/v1/units/import?dryRun=true").WithText("code,name,kind,parent\nM2,矩阵单位,other,D\n", "text/csv"), key)),
        // The office's zip of departments' files: a dry run, so the office's 200 stores nothing; no unit or ops key gets in.
        ["POST /periods/{id}/submissions/batch"] = ([401, 200, 403, 403, 403], (w, key) => Send(Request.Post($"/api/v1/periods/{w.OpenPeriod}/submissions/batch?dryRun=true").WithBytes(BatchSubmissionTests.Zip(("U1.json", System.Text.Encoding.UTF8.GetBytes(Documents.Valid("U1").ToJsonString()))), "application/zip"), key)),
    };

    public static TheoryData<string, string> Cases =>
        [.. Endpoints.Keys.SelectMany(endpoint => Roles.Select(role => (endpoint, role)))];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_gets_what_the_contract_allows_on_each_endpoint(string endpoint, string role)
    {
        var (statuses, build) = Endpoints[endpoint];
        var expected = statuses[Array.IndexOf(Roles, role)];
        using var request = await build(world, KeyOf(endpoint, role));
        var before = await world.Host.SnapshotAsync();

        using var response = await world.Host.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == expected, $"{endpoint} as {role}: expected {expected}, got {(int)response.StatusCode}: {body}");
        if (expected >= 400)
        {
            var problem = await response.ProblemAsync();
            var code = problem["code"]!.GetValue<string>();
            // A retry of the world's completed rollup is refused as not failed, and a redrive in the embedded mode
            // as unavailable: the role got through, the state did not.
            Assert.Contains(code, expected switch
            {
                401 => ["unauthenticated"],
                409 => ["rollup_not_failed", "redrive_unavailable", "submission_has_no_warnings", "submission_not_validated", "rollup_not_computed"],
                _ => new[] { "forbidden", "not_your_unit" },
            });
            Assert.Empty((await world.Host.SnapshotAsync()).DifferencesFrom(before));
        }
    }

    [Fact]
    public void The_matrix_covers_every_mapped_endpoint()
    {
        var mapped = OpenApiTests.ApiEndpoints(world.Host.Services).Select(e => $"{e.Method} {e.Route}").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(mapped.Order(StringComparer.Ordinal), Endpoints.Keys.Select(k => k.Replace(" ", " /api/v1", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private static Task<HttpRequestMessage> Send(HttpRequestMessage request, string? key) => Task.FromResult(request.WithKey(key));

    private string? KeyOf(string endpoint, string role) => role switch
    {
        None => null,
        Admin => world.AdminKey,
        Ops => world.OpsKey,
        // For submissions "other" is another unit of the same period sending U1's table.
        UnitOwn => world.U1Key,
        _ when endpoint.Contains("submissions", StringComparison.Ordinal) => world.U2Key,
        _ => world.X1Key,
    };

    private static async Task<Guid> FreshKeyIdAsync(World world)
    {
        var issued = await world.Host.PostOkAsync("/api/v1/keys", world.AdminKey, new { role = "ops", label = "待吊销" }, HttpStatusCode.Created);
        return issued["id"]!.GetValue<Guid>();
    }

    private static async Task<Guid> FreshValidatedSubmissionAsync(World world)
    {
        var receipt = await world.Host.PostOkAsync($"/api/v1/periods/{world.OpenPeriod}/submissions", world.AdminKey, Documents.Valid("U2"), HttpStatusCode.Accepted);
        var id = receipt["submission_id"]!.GetValue<Guid>();
        var version = receipt["version"]!.GetValue<int>();
        // The intake host runs no validation worker: the tests validate the version the way the worker would.
        await world.Host.Services.Get<Aggregator.Application.Validation.SubmissionValidation>().ValidateAsync(id, version, TestContext.Current.CancellationToken);
        return id;
    }
}
