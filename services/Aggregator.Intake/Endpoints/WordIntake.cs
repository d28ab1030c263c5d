using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Submissions;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;
using Aggregator.Import;

namespace Aggregator.Intake.Endpoints;

/// <summary>What was read from a Word report, the submission made of it, and the intake's answer (verdict or receipt).</summary>
public sealed record WordIntakeOutcome(WordReport Report, SubmissionDocument Document, IntakeOutcome Intake);

/// <summary>
/// Reads a department's .docx for a period and sends the values read through the same use case as a JSON
/// submission; shared by the API (<c>POST /periods/{id}/submissions/word</c>) and the department's upload page.
/// </summary>
public sealed class WordIntake(FormCatalog catalog, PeriodService periods, SubmissionIntake intake)
{
    public async Task<Result<WordIntakeOutcome>> SubmitAsync(
        Guid periodId, byte[] docx, Submitter submitter, string? unitCode, bool dryRun, CancellationToken cancellationToken)
    {
        if (await periods.GetAsync(periodId, cancellationToken) is not { } period)
        {
            return Problem.PeriodNotFound(periodId);
        }

        WordReport report;
        try
        {
            report = new WordReportReader(catalog).Read(new MemoryStream(docx), period.FormId, period.Year);
        }
        catch (WordReportException ex)
        {
            var code = ex.Code == WordReportProblems.NoTables ? ProblemCodes.WordNoTables : ProblemCodes.WordUnreadable;
            return Problem.Of(code, code == ProblemCodes.WordNoTables ? "文档中没有找到报表" : "无法读取 Word 文档", ex.Message);
        }

        var document = report.ToSubmission(unitCode: unitCode);
        var result = await intake.SubmitAsync(periodId, document, submitter, dryRun, cancellationToken);
        return result.IsSuccess ? new WordIntakeOutcome(report, document, result.Value) : result.Problem;
    }
}
