using System.Net;
using Aggregator.Storage;
using Aggregator.Storage.Reports;
using Aggregator.Testing.Databases;

namespace Aggregator.Intake.Tests.Support;

/// <summary>
/// A small district registered through the API: district D with departments U1–U3, an open 2019 period expecting
/// them, a closed 2020 period, another district X with X1 (not expected anywhere), a key per role, a revoked key, a
/// submission of U1 and a rollup with a rendered report.
/// </summary>
public sealed class World : IAsyncLifetime
{
    public const string District = "D";
    public const string OtherDistrict = "X";

    private ApiHost? _host;

    public ApiHost Host => _host ?? throw new InvalidOperationException("The world has not started.");

    public string AdminKey => Host.AdminKey;

    public string OpsKey { get; private set; } = "";

    public string U1Key { get; private set; } = "";

    public string U2Key { get; private set; } = "";

    /// <summary>A unit key of a unit that no period expects.</summary>
    public string X1Key { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    public Guid OpenPeriod { get; private set; }

    public Guid ClosedPeriod { get; private set; }

    /// <summary>U1's submission in the open period.</summary>
    public Guid U1Submission { get; private set; }

    public Guid Rollup { get; private set; }

    /// <summary>The embedded configuration: SQLite and the in-memory bus.</summary>
    public async ValueTask InitializeAsync() => await StartAsync(await TestDatabases.SqliteAsync(), new Dictionary<string, string?>());

    /// <summary>Starts the API on <paramref name="database"/> with <paramref name="settings"/> (e.g. a RabbitMQ transport) and seeds it.</summary>
    public async Task StartAsync(TestDatabase database, IReadOnlyDictionary<string, string?> settings)
    {
        _host = await ApiHost.StartAsync(database, settings);
        await SeedAsync();
    }

    public string Key(string name) => name switch
    {
        "admin" => AdminKey,
        "ops" => OpsKey,
        "u1" => U1Key,
        "u2" => U2Key,
        "x1" => X1Key,
        "revoked" => RevokedKey,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task SeedAsync()
    {
        var host = Host;
        await host.PostOkAsync("/api/v1/units", AdminKey, new object[]
        {
            new { code = District, name = "测试区", kind = OrgUnitKind.District },
            new { code = "U1", name = "测试区甲局", kind = OrgUnitKind.Department, parent = District },
            new { code = "U2", name = "测试区乙局", kind = OrgUnitKind.Department, parent = District },
            new { code = "U3", name = "测试区丙镇", kind = OrgUnitKind.Township, parent = District },
            new { code = OtherDistrict, name = "其他区", kind = OrgUnitKind.District },
            new { code = "X1", name = "其他区甲局", kind = OrgUnitKind.Department, parent = OtherDistrict },
        }, HttpStatusCode.OK);

        var open = await host.PostOkAsync("/api/v1/periods", AdminKey,
            new { year = Documents.Year, form_id = Documents.FormatId, root_unit = District, due_date = "2020-01-31" }, HttpStatusCode.Created);
        OpenPeriod = open["id"]!.GetValue<Guid>();
        var closed = await host.PostOkAsync("/api/v1/periods", AdminKey,
            new { year = 2020, form_id = Documents.FormatId, root_unit = District, due_date = "2021-01-31" }, HttpStatusCode.Created);
        ClosedPeriod = closed["id"]!.GetValue<Guid>();
        await host.PostOkAsync($"/api/v1/periods/{ClosedPeriod}/close", AdminKey, "", HttpStatusCode.OK);

        OpsKey = await host.IssueKeyAsync(ApiKeyRole.Ops);
        U1Key = await host.IssueKeyAsync(ApiKeyRole.Unit, "U1");
        U2Key = await host.IssueKeyAsync(ApiKeyRole.Unit, "U2");
        X1Key = await host.IssueKeyAsync(ApiKeyRole.Unit, "X1");
        RevokedKey = await host.IssueKeyAsync(ApiKeyRole.Unit, "U3");
        var keys = await (await host.GetAsync("/api/v1/keys", AdminKey)).ExpectAsync(HttpStatusCode.OK);
        var revokedId = keys.AsArray().Single(k => k!["unit_code"]?.GetValue<string>() == "U3")!["id"]!.GetValue<Guid>();
        using (var revoked = await host.SendAsync(Request.Delete($"/api/v1/keys/{revokedId}").WithKey(AdminKey)))
        {
            await revoked.ExpectAsync(HttpStatusCode.NoContent);
        }

        var receipt = await host.PostOkAsync($"/api/v1/periods/{OpenPeriod}/submissions", U1Key, Documents.Valid("U1"), HttpStatusCode.Accepted);
        U1Submission = receipt["submission_id"]!.GetValue<Guid>();

        var rollup = await host.PostOkAsync($"/api/v1/periods/{OpenPeriod}/rollups", AdminKey, "", HttpStatusCode.Accepted);
        Rollup = rollup["rollup_id"]!.GetValue<Guid>();
        var reports = host.Services.Get<ReportRepository>();
        await reports.SaveAsync(Rollup, ReportFormat.Html, "<!doctype html><html><body><h1>测试区汇总报告</h1></body></html>", CancellationToken.None);
        await reports.SaveAsync(Rollup, ReportFormat.Markdown, "# 测试区汇总报告", CancellationToken.None);
    }
}
