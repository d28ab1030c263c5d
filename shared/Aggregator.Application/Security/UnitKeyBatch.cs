using Aggregator.Application.Periods;
using Aggregator.Application.Results;
using Aggregator.Application.Units;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Security;

/// <summary>A unit's newly issued key, with the unit's name for the list handed to the office.</summary>
public sealed record IssuedUnitKey(string UnitCode, string UnitName, IssuedApiKey Issued);

/// <summary>
/// Issues one unit key to every unit a period expects, or to a chosen set of units, in one action: all keys are
/// stored in one transaction under one audit event, or none.
/// </summary>
public sealed class UnitKeyBatch(ApiKeyRegistry keys, PeriodService periods, UnitRepository units)
{
    public const int MaxUnits = 5000;

    /// <param name="periodId">The period whose expected units get a key; or null to use <paramref name="unitCodes"/>.</param>
    public async Task<Result<IReadOnlyList<IssuedUnitKey>>> IssueAsync(
        Guid? periodId, IReadOnlyList<string>? unitCodes, string? label, Actor actor, CancellationToken cancellationToken)
    {
        if (periodId is null == (unitCodes is null))
        {
            return Problem.InvalidRequest("请填写 period_id（为该填报期的全部填报单位签发）或 unit_codes（为所列单位签发）之一。",
                new FieldError("period_id", "period_id 与 unit_codes 二选一"));
        }

        Dictionary<string, string> names;
        string scope;
        if (periodId is { } id)
        {
            if (await periods.GetAsync(id, cancellationToken) is not { } period)
            {
                return Problem.PeriodNotFound(id);
            }

            names = (await periods.GetExpectedUnitsAsync(id, cancellationToken)).ToDictionary(unit => unit.Code, unit => unit.Name, StringComparer.Ordinal);
            scope = $"period:{id}";
            label ??= $"{period.Year} 年度填报";
        }
        else
        {
            if (unitCodes!.FirstOrDefault(code => !UnitCodes.IsValid(code)) is { } bad)
            {
                return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"单位代码“{bad}”格式不正确。");
            }

            var registered = (await units.ListAsync(cancellationToken)).ToDictionary(unit => unit.Code, unit => unit.Name, StringComparer.Ordinal);
            var unknown = unitCodes!.Where(code => !registered.ContainsKey(code)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                return Problem.InvalidRequest($"有 {unknown.Count} 个单位尚未登记，未签发任何密钥。",
                    [.. unknown.Take(50).Select(code => new FieldError("unit_codes", $"单位“{code}”尚未登记"))]);
            }

            names = unitCodes!.Distinct(StringComparer.Ordinal).ToDictionary(code => code, code => registered[code], StringComparer.Ordinal);
            scope = "units";
            label ??= "批量签发";
        }

        if (names.Count == 0 || names.Count > MaxUnits)
        {
            return Problem.InvalidRequest($"一次应为 1–{MaxUnits} 个单位签发密钥，本次为 {names.Count} 个。", new FieldError("unit_codes", $"应为 1–{MaxUnits} 个单位"));
        }

        try
        {
            var issued = await keys.IssueForUnitsAsync([.. names.Keys], label, scope, actor, cancellationToken);
            return issued.Select(key => new IssuedUnitKey(key.Stored.UnitCode!, names[key.Stored.UnitCode!], key)).ToList();
        }
        catch (InvalidApiKeyRequestException exception)
        {
            return Problem.InvalidRequest(exception.Message, new FieldError(exception.Field == ApiKeyRequestField.Label ? "label" : "unit_codes", exception.Message));
        }
    }
}
