using System.Text.Json;
using Aggregator.Storage;
using Aggregator.Storage.ApiKeys;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Idempotency;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Reconciliation;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;
using Aggregator.Storage.Validation;
using Aggregator.Testing.Databases;
using Dapper;

namespace Aggregator.Storage.Tests;

/// <summary>Every repository over one test database, plus a few ways to set up a small unit tree.</summary>
public sealed class StorageHarness
{
    public StorageHarness(TestDatabase database)
    {
        var connections = database.CreateConnectionFactory();
        var dialect = SqlDialect.For(database.Provider);
        Connections = connections;
        Dialect = dialect;
        var clock = new StorageClock(TimeProvider.System);
        Units = new UnitRepository(connections, dialect, clock);
        Periods = new PeriodRepository(connections, dialect, clock);
        Submissions = new SubmissionRepository(connections, dialect, clock);
        Reviews = new Aggregator.Storage.Reviews.SubmissionReviewRepository(connections, clock);
        Validation = new ValidationResultRepository(connections, dialect, clock);
        Rollups = new RollupRepository(connections, dialect, clock);
        Reports = new ReportRepository(connections, dialect, clock);
        ReportTexts = new Aggregator.Storage.ReportTexts.ReportTextRepository(connections, clock);
        ApiKeys = new ApiKeyRepository(connections, clock);
        Audit = new AuditLogRepository(connections, dialect, clock);
        Idempotency = new IdempotencyKeyRepository(connections, dialect, clock);
        Outbox = new OutboxStore(connections, dialect, clock);
        Reconciliation = new ReconciliationRepository(connections, clock);
        Texts = new Aggregator.Storage.Texts.SubmissionTextRepository(connections);
    }

    public Aggregator.Storage.Connections.IDbConnectionFactory Connections { get; }

    public SqlDialect Dialect { get; }

    public Aggregator.Storage.Texts.SubmissionTextRepository Texts { get; }

    public ReconciliationRepository Reconciliation { get; }

    public UnitRepository Units { get; }

    public PeriodRepository Periods { get; }

    public SubmissionRepository Submissions { get; }

    public Aggregator.Storage.Reviews.SubmissionReviewRepository Reviews { get; }

    public ValidationResultRepository Validation { get; }

    public RollupRepository Rollups { get; }

    public ReportRepository Reports { get; }

    public Aggregator.Storage.ReportTexts.ReportTextRepository ReportTexts { get; }

    public ApiKeyRepository ApiKeys { get; }

    public AuditLogRepository Audit { get; }

    public IdempotencyKeyRepository Idempotency { get; }

    public IOutboxStore Outbox { get; }

    /// <summary>A code no other test uses, so tests can share one database.</summary>
    public const string VersionStored = "Test.VersionStored";

    /// <summary>What a use case would announce with a stored version; storage stores any entry it is given.</summary>
    public static readonly Func<StoredVersion, IReadOnlyCollection<OutboxEntry>> AnnounceVersion = version =>
        [new OutboxEntry(VersionStored, JsonSerializer.Serialize(new { submissionId = version.SubmissionId, version = version.Version }))];

    public static IReadOnlyCollection<OutboxEntry> Announce(string messageType, Guid id) =>
        [new OutboxEntry(messageType, JsonSerializer.Serialize(new { id }))];

    public static string NewCode(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A district with the given departments directly below it, and an open period for it.</summary>
    public async Task<(Period Period, string District, IReadOnlyList<string> Departments)> OpenDistrictAsync(int departments)
    {
        var district = NewCode("d");
        var codes = Enumerable.Range(1, departments).Select(i => NewCode($"u{i}")).ToList();
        var units = new List<UnitRegistration> { new(district, "测试区", OrgUnitKind.District, null) };
        units.AddRange(codes.Select((code, i) => new UnitRegistration(code, $"部门{i + 1}", OrgUnitKind.Department, district)));
        await Units.UpsertManyAsync(units, Actor.Cli, TestContext.Current.CancellationToken);
        var period = await Periods.CreateAsync(new NewPeriod(2024, "fmt_2021", district, new DateOnly(2025, 1, 31)), Actor.Cli, TestContext.Current.CancellationToken);
        return (period, district, codes);
    }

    /// <summary>
    /// Opens a period over a district of <paramref name="departments"/> units written as an older schema holds it:
    /// today's <see cref="PeriodRepository.CreateAsync"/> needs every migration.
    /// </summary>
    /// <param name="withParents">Whether the schema already keeps each expected unit's parent (0010).</param>
    public async Task<(Period Period, string District, IReadOnlyList<string> Departments)> OpenDistrictAsWrittenBeforeAsync(
        TestDatabase database, int departments, bool withParents)
    {
        var ct = TestContext.Current.CancellationToken;
        var district = NewCode("d");
        var codes = Enumerable.Range(1, departments).Select(i => NewCode($"u{i}")).ToList();
        var units = new List<UnitRegistration> { new(district, "测试区", OrgUnitKind.District, null) };
        units.AddRange(codes.Select((code, i) => new UnitRegistration(code, $"部门{i + 1}", OrgUnitKind.Department, district)));
        await Units.UpsertManyAsync(units, Actor.Cli, ct);
        var period = new Period
        {
            Id = Guid.CreateVersion7(),
            Year = 2024,
            FormId = "fmt_2021",
            RootUnitCode = district,
            DueDate = new DateOnly(2025, 1, 31),
            Status = PeriodStatus.Open,
            CreatedAt = StorageClock.Truncate(DateTimeOffset.UtcNow),
            ExpectedUnitCount = departments,
        };
        await using var connection = await database.Connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO periods (id, year, form_id, root_unit_code, due_date, status, created_at)
            VALUES (@Id, @Year, @FormId, @RootUnitCode, @DueDate, @Status, @CreatedAt)
            """,
            period,
            cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            withParents
                ? "INSERT INTO period_units (period_id, unit_code, parent_code) VALUES (@PeriodId, @Unit, @District)"
                : "INSERT INTO period_units (period_id, unit_code) VALUES (@PeriodId, @Unit)",
            codes.Select(code => new { PeriodId = period.Id, Unit = code, District = district }).ToList(),
            cancellationToken: ct));
        return (period, district, codes);
    }

    public static IReadOnlyList<CellValue> Cells(params (string CellId, decimal? Value)[] cells) =>
        [.. cells.Select(cell => new CellValue(cell.CellId, cell.Value, cell.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture), 0))];
}
