using Aggregator.Application.Results;
using Aggregator.Application.Units;
using Aggregator.Core.Forms;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Periods;

/// <summary>Opens, reads and closes reporting periods.</summary>
public sealed class PeriodService(PeriodRepository periods, UnitRepository units, ExpectedUnits expectedUnits, FormCatalog catalog)
{
    /// <summary>
    /// Opens a period for the root unit's descendants. Refuses an unknown form, a year the form does not cover, an
    /// unregistered root or one without descendants (<c>invalid_request</c>), and a second period of the same root
    /// and year (<c>conflict</c>).
    /// </summary>
    public async Task<Result<Period>> OpenAsync(OpenPeriodRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!catalog.TryGet(request.FormId ?? "", out var form))
        {
            errors.Add(new FieldError("form_id", $"未知的表式“{request.FormId}”；可用的表式：{string.Join("、", catalog.Forms.Select(f => f.Id))}"));
        }
        else if (!form.ValidYears.Contains(request.Year))
        {
            errors.Add(new FieldError("year", $"表式“{form.Id}”不适用于 {request.Year} 年度的报告"));
        }

        if (!UnitCodes.IsValid(request.RootUnit))
        {
            return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"根单位代码“{request.RootUnit}”格式不正确。");
        }

        if (await units.GetAsync(request.RootUnit, cancellationToken) is null)
        {
            errors.Add(new FieldError("root_unit", $"单位“{request.RootUnit}”尚未登记"));
        }
        else if ((await units.GetDescendantsAsync(request.RootUnit, cancellationToken)).Count == 0)
        {
            errors.Add(new FieldError("root_unit", $"单位“{request.RootUnit}”没有下级单位，无需汇总"));
        }

        if (errors.Count > 0)
        {
            return Problem.InvalidRequest("无法开启填报期。", errors);
        }

        try
        {
            return await periods.CreateAsync(new NewPeriod(request.Year, form!.Id, request.RootUnit, request.DueDate), actor, cancellationToken);
        }
        catch (DuplicateRecordException)
        {
            return Problem.Of(ProblemCodes.Conflict, "填报期已存在", $"单位“{request.RootUnit}”的 {request.Year} 年度填报期已经开启。");
        }
    }

    public Task<Period?> GetAsync(Guid periodId, CancellationToken cancellationToken) => periods.GetAsync(periodId, cancellationToken);

    public Task<IReadOnlyList<Period>> ListAsync(CancellationToken cancellationToken) => periods.ListAsync(cancellationToken);

    /// <summary>The units the period expects, ordered by code.</summary>
    public Task<IReadOnlyList<OrgUnit>> GetExpectedUnitsAsync(Guid periodId, CancellationToken cancellationToken) =>
        periods.GetExpectedUnitsAsync(periodId, cancellationToken);

    /// <summary>Whether the unit is one the period expects (a unit key may read only such periods).</summary>
    public Task<bool> IsExpectedAsync(Guid periodId, string unitCode, CancellationToken cancellationToken) =>
        expectedUnits.ContainsAsync(periodId, unitCode, cancellationToken);

    /// <summary>Closes the period to further submissions; closing a closed period changes nothing.</summary>
    public async Task<Result<Period>> CloseAsync(Guid periodId, Actor actor, CancellationToken cancellationToken)
    {
        if (await periods.GetAsync(periodId, cancellationToken) is null)
        {
            return Problem.PeriodNotFound(periodId);
        }

        await periods.SetStatusAsync(periodId, PeriodStatus.Closed, actor, cancellationToken);
        return (await periods.GetAsync(periodId, cancellationToken))!;
    }

    /// <summary>
    /// Reopens a closed period for one unit it expects, so that this unit alone may submit; a repeat changes nothing.
    /// Refuses an open period (<c>period_not_closed</c>) and a unit the period does not expect (<c>unit_not_expected</c>).
    /// </summary>
    public async Task<Result<UnitReopeningView>> ReopenForUnitAsync(Guid periodId, string unitCode, Actor actor, CancellationToken cancellationToken)
    {
        if (await UnitOfClosedPeriodAsync(periodId, unitCode, cancellationToken) is { } refused)
        {
            return refused;
        }

        await periods.ReopenForUnitAsync(periodId, unitCode, actor, cancellationToken);
        return await ReopeningAsync(periodId, unitCode, cancellationToken);
    }

    /// <summary>Closes the period again for a unit it was reopened for; closing a unit that is not reopened changes nothing.</summary>
    public async Task<Result<UnitReopeningView>> CloseForUnitAsync(Guid periodId, string unitCode, Actor actor, CancellationToken cancellationToken)
    {
        if (await UnitOfClosedPeriodAsync(periodId, unitCode, cancellationToken) is { } refused)
        {
            return refused;
        }

        await periods.CloseForUnitAsync(periodId, unitCode, actor, cancellationToken);
        return await ReopeningAsync(periodId, unitCode, cancellationToken);
    }

    /// <summary>Whether a closed period was reopened for the unit.</summary>
    public async Task<bool> IsReopenedForAsync(Guid periodId, string unitCode, CancellationToken cancellationToken) =>
        await periods.GetReopeningAsync(periodId, unitCode, cancellationToken) is not null;

    private async Task<Problem?> UnitOfClosedPeriodAsync(Guid periodId, string unitCode, CancellationToken cancellationToken)
    {
        if (!UnitCodes.IsValid(unitCode))
        {
            return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"单位代码“{unitCode}”格式不正确。");
        }

        if (await periods.GetAsync(periodId, cancellationToken) is not { } period)
        {
            return Problem.PeriodNotFound(periodId);
        }

        if (period.Status != PeriodStatus.Closed)
        {
            return Problem.Of(ProblemCodes.PeriodNotClosed, "填报期未关闭", $"{period.Year} 年度填报期仍然开放，各单位都可以报送，无需单独重新开放。");
        }

        return await expectedUnits.ContainsAsync(periodId, unitCode, cancellationToken)
            ? null
            : Problem.Of(ProblemCodes.UnitNotExpected, "本填报期不需要该单位填报", $"单位“{unitCode}”不在 {period.Year} 年度填报期的填报单位之列。");
    }

    private async Task<UnitReopeningView> ReopeningAsync(Guid periodId, string unitCode, CancellationToken cancellationToken) =>
        await periods.GetReopeningAsync(periodId, unitCode, cancellationToken) is { } reopening
            ? new UnitReopeningView(periodId, unitCode, true, reopening.ReopenedAt, reopening.ReopenedBy)
            : new UnitReopeningView(periodId, unitCode, false, null, null);
}

/// <summary>Whether a closed period accepts submissions from one unit, reopened for it alone.</summary>
public sealed record UnitReopeningView(Guid PeriodId, string UnitCode, bool Reopened, DateTimeOffset? ReopenedAt, string? ReopenedBy);
