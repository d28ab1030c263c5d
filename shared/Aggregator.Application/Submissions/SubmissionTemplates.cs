using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Units;
using Aggregator.Core.Forms;
using Aggregator.Reporting.Workbooks;
using Aggregator.Storage.Periods;

namespace Aggregator.Application.Submissions;

/// <summary>An Excel template ready to download.</summary>
public sealed record TemplateFile(byte[] Content, string FileName);

/// <summary>
/// The Excel template of a period (its form and year), for one unit when a unit code is given: that unit must be
/// expected in the period, and its code and name are printed in the template and cannot be changed there.
/// </summary>
public sealed class SubmissionTemplates(PeriodRepository periods, ExpectedUnits expectedUnits, UnitRegistry units, FormCatalog catalog)
{
    public async Task<Result<TemplateFile>> ForPeriodAsync(Guid periodId, string? unitCode, CancellationToken cancellationToken)
    {
        if (await periods.GetAsync(periodId, cancellationToken) is not { } period)
        {
            return Problem.PeriodNotFound(periodId);
        }

        if (!catalog.TryGet(period.FormId, out var form))
        {
            return Problem.Of(ProblemCodes.WrongFormat, "表式不存在", $"本填报期的表式“{period.FormId}”未定义。");
        }

        string? unitName = null;
        if (unitCode is not null)
        {
            if (!UnitCodes.IsValid(unitCode))
            {
                return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"单位代码“{unitCode}”格式不正确。");
            }

            if (!await expectedUnits.ContainsAsync(periodId, unitCode, cancellationToken))
            {
                return Problem.Of(ProblemCodes.UnitNotExpected, "本填报期不需要该单位填报",
                    $"单位“{unitCode}”不在 {period.Year} 年度填报期（{period.RootUnitCode}）的填报单位之列。");
            }

            unitName = (await units.GetAsync(unitCode, cancellationToken))?.Name;
        }

        var request = new SubmissionTemplateRequest(period.Year, unitCode, unitName);
        return new TemplateFile(SubmissionTemplateWriter.Write(form, request), SubmissionTemplateWriter.FileName(form, request));
    }
}
