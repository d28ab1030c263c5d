using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Application.Units;
using Aggregator.Core.Text;
using Aggregator.Import;
using Aggregator.Reporting.Workbooks;
using Microsoft.Extensions.Options;

namespace Aggregator.Intake.Endpoints;

/// <summary>One file of the office's batch and what became of it: stored (or, on a dry run, checked) or refused.</summary>
/// <param name="UnitCode">The unit the file was taken for; when refused, the unit it names if known.</param>
public sealed record BatchEntryOutcome(string Path, string? UnitCode, IntakeOutcome? Intake, Problem? Problem)
{
    /// <summary>For a Word report, the figures its narrative states that contradict its tables, as its preview lists them.</summary>
    public IReadOnlyList<NarrativeFinding> NarrativeFindings { get; init; } = [];
}

/// <summary>
/// The office's .zip of departments' files (<c>POST /periods/{id}/submissions/batch</c>): each entry goes through the
/// intake of its kind, exactly as its single upload would (JSON and a filled-in .xlsx template through
/// <see cref="SubmissionIntake"/>, a Word report through <see cref="WordIntake"/>), so each is stored or refused on its
/// own: a refused entry stores nothing and does not stop the others. A file that names no unit is taken as the unit
/// its file name is, as <c>rollup</c> takes it.
/// </summary>
public sealed class BatchIntake(PeriodService periods, SubmissionIntake intake, WordIntake word, IOptions<IntakeOptions> options)
{
    /// <summary>Every entry's outcome in archive order, or why the zip as a whole cannot be read.</summary>
    public async Task<Result<IReadOnlyList<BatchEntryOutcome>>> SubmitAsync(
        Guid periodId, byte[] zip, Submitter submitter, bool dryRun, CancellationToken cancellationToken)
    {
        if (await periods.GetAsync(periodId, cancellationToken) is null)
        {
            return Problem.PeriodNotFound(periodId);
        }

        SubmissionArchive archive;
        try
        {
            archive = SubmissionArchive.Read(new MemoryStream(zip, writable: false), ArchiveLimits.Default);
        }
        catch (SubmissionArchiveException ex)
        {
            return Problem.Of(ex.Code, ex.Code == ArchiveProblems.Unreadable ? "无法读取 zip 文件" : "zip 文件超过上限", ex.Message);
        }

        if (archive.Entries.Count == 0)
        {
            return Problem.Of(ProblemCodes.ZipEmpty, "zip 文件中没有报表",
                $"zip 文件中没有 {string.Join("、", SubmissionArchive.Extensions)} 文件；请把各单位的 JSON、填好的 Excel 模板或 Word 年度报告放入 zip 后上传。");
        }

        var claims = archive.Entries.Select(ClaimedUnit).ToList();
        var shared = claims.Where(unit => unit is not null).GroupBy(unit => unit!, StringComparer.Ordinal)
            .Where(group => group.Count() > 1).Select(group => group.Key).ToHashSet(StringComparer.Ordinal);
        var outcomes = new BatchEntryOutcome?[archive.Entries.Count];
        foreach (var unit in shared)
        {
            await CheckSharedUnitAsync(periodId, unit, archive.Entries, claims, outcomes, submitter, cancellationToken);
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] ??= await SubmitEntryAsync(periodId, archive.Entries[i], submitter, dryRun, cancellationToken);
        }

        return outcomes.Select(outcome => outcome!).ToList();
    }

    // Archive order says nothing of which of two files for one unit the office meant: when more than one of them
    // would be stored, none is, and each says which others it clashes with. A file refused on its own keeps its own
    // reason, and a single storable one goes through as usual.
    private async Task CheckSharedUnitAsync(
        Guid periodId, string unit, IReadOnlyList<ArchiveEntry> entries, List<string?> claims, BatchEntryOutcome?[] outcomes, Submitter submitter, CancellationToken cancellationToken)
    {
        var storable = new List<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (unit.Equals(claims[i], StringComparison.Ordinal))
            {
                var checkedOnly = await SubmitEntryAsync(periodId, entries[i], submitter, dryRun: true, cancellationToken);
                if (checkedOnly.Problem is null)
                {
                    storable.Add(i);
                }
                else
                {
                    outcomes[i] = checkedOnly;
                }
            }
        }

        if (storable.Count < 2)
        {
            return;
        }

        var paths = string.Join("、", storable.Select(i => entries[i].Name));
        foreach (var i in storable)
        {
            outcomes[i] = new BatchEntryOutcome(entries[i].Name, unit, null, Problem.Of(ProblemCodes.ZipDuplicateUnit, "同一单位有多份报表",
                $"zip 中有 {storable.Count} 个文件都是单位 {unit} 的报表（{paths}），无法确定以哪一份为准，这些文件均不保存；请只保留其中一份后重新上传。"));
        }
    }

    // The unit an entry would be stored for, as its intake will take it, read before any entry is stored.
    private string? ClaimedUnit(ArchiveEntry entry)
    {
        if (entry.Bytes is not { } bytes)
        {
            return null;
        }

        var named = UnitCodes.FromFileName(entry.Name);
        return Path.GetExtension(entry.Name).ToLowerInvariant() switch
        {
            ".docx" => named,
            ".xlsx" => SubmissionWorkbookReader.Read(bytes).Document is { } workbook && UnitCodes.IsValid(workbook.UnitCode) ? workbook.UnitCode : named,
            _ => JsonUnitCode(bytes) ?? named,
        };
    }

    private async Task<BatchEntryOutcome> SubmitEntryAsync(Guid periodId, ArchiveEntry entry, Submitter submitter, bool dryRun, CancellationToken cancellationToken)
    {
        var named = UnitCodes.FromFileName(entry.Name);
        if (entry.Bytes is not { } bytes)
        {
            var code = entry.Code ?? ArchiveProblems.EntryUnreadable;
            return new BatchEntryOutcome(entry.Name, named, null,
                Problem.Of(code, code == ArchiveProblems.EntryUnsafeName ? "文件名不安全" : "无法解压该文件", entry.Problem ?? "无法读取该文件。"));
        }

        Result<IntakeOutcome> result;
        string? unitCode = named;
        IReadOnlyList<NarrativeFinding> findings = [];
        switch (Path.GetExtension(entry.Name).ToLowerInvariant())
        {
            case ".docx":
                var read = await word.SubmitAsync(periodId, bytes, submitter, named, dryRun, cancellationToken);
                if (!read.IsSuccess)
                {
                    return new BatchEntryOutcome(entry.Name, named, null, read.Problem);
                }

                result = read.Value.Intake;
                findings = read.Value.Report.NarrativeFindings;
                break;
            case ".xlsx":
                result = await intake.SubmitWorkbookAsync(periodId, bytes, submitter, dryRun, named, cancellationToken);
                break;
            default:
                result = await intake.SubmitAsync(periodId, bytes, options.Value.MaxJsonDepth, submitter, dryRun, named, cancellationToken);
                if (!result.IsSuccess)
                {
                    unitCode = JsonUnitCode(bytes) ?? named;
                }

                break;
        }

        return result.IsSuccess
            ? new BatchEntryOutcome(entry.Name, result.Value.UnitCode ?? unitCode, result.Value, null) { NarrativeFindings = findings }
            : new BatchEntryOutcome(entry.Name, unitCode, null, result.Problem);
    }

    // Only to label a refused JSON entry with the unit it names; the intake has already read and refused it.
    private string? JsonUnitCode(byte[] bytes)
    {
        var document = Core.Values.SubmissionReader.Read(bytes, options.Value.MaxJsonDepth).Document;
        return UnitCodes.IsValid(document?.UnitCode) ? document!.UnitCode : null;
    }
}
