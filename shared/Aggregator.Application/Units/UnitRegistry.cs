using Aggregator.Application.Results;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Units;

/// <summary>Registers and lists the units of the tree (district, departments, townships …).</summary>
public sealed class UnitRegistry(UnitRepository units)
{
    private const int MaxNameLength = 200;

    /// <summary>Inserts or updates units in one transaction; a parent must exist already or come in the same batch.</summary>
    /// <returns>The number of units written, or <c>invalid_unit_code</c> / <c>invalid_request</c> with field errors.</returns>
    public async Task<Result<int>> UpsertAsync(IReadOnlyList<UnitRegistration> batch, Actor actor, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return Problem.InvalidRequest("没有要登记的单位。", new FieldError("units", "至少需要一个单位"));
        }

        if (batch.FirstOrDefault(unit => !UnitCodes.IsValid(unit.Code) || (unit.ParentCode is not null && !UnitCodes.IsValid(unit.ParentCode))) is { } badCode)
        {
            var code = UnitCodes.IsValid(badCode.Code) ? badCode.ParentCode : badCode.Code;
            return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确",
                $"单位代码“{code}”格式不正确：应为 1–{UnitCodes.MaxLength} 个字母、数字、“_”“-”或“.”，以字母或数字开头。");
        }

        var errors = FieldErrors(batch);
        if (errors.Count == 0)
        {
            errors = await UnknownParentsAsync(batch, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return Problem.InvalidRequest($"有 {errors.Count} 处单位信息不正确。", errors);
        }

        try
        {
            return await units.UpsertManyAsync(batch, actor, cancellationToken);
        }
        catch (ArgumentException exception)
        {
            // The repository refuses duplicates within a batch and parent cycles; both are the caller's mistake.
            return Problem.InvalidRequest("单位的上下级关系不正确（同一批次重复登记，或形成了循环）。", new FieldError("parent", exception.Message));
        }
    }

    /// <summary>Renames and/or moves one unit; <see cref="UnitChange.Parent"/> "" makes it a root.</summary>
    /// <returns>The unit as stored now, or <c>unit_not_found</c>, <c>invalid_request</c>, <c>unit_move_cycle</c>.</returns>
    public async Task<Result<OrgUnit>> ChangeAsync(string code, UnitChange change, Actor actor, CancellationToken cancellationToken)
    {
        if (await units.GetAsync(code, cancellationToken) is not { } current)
        {
            return UnitNotFound(code);
        }

        var name = change.Name?.Trim() ?? current.Name;
        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return Problem.InvalidRequest($"单位名称应为 1–{MaxNameLength} 个字符，且不含控制字符。", new FieldError("name", $"应为 1–{MaxNameLength} 个字符"));
        }

        var parent = change.Parent is null ? current.ParentCode : change.Parent.Trim() is { Length: > 0 } given ? given : null;
        if (parent is not null && !UnitCodes.IsValid(parent))
        {
            return Problem.Of(ProblemCodes.InvalidUnitCode, "单位代码格式不正确", $"上级单位代码“{parent}”格式不正确。");
        }

        return await units.ChangeAsync(code, name, parent, actor, cancellationToken) switch
        {
            UnitChangeOutcome.NotFound => UnitNotFound(code),
            UnitChangeOutcome.ParentNotFound => Problem.InvalidRequest($"上级单位“{parent}”尚未登记。", new FieldError("parent", $"单位“{parent}”尚未登记")),
            UnitChangeOutcome.Cycle => Problem.Of(ProblemCodes.UnitMoveCycle, "不能移到自己的下级之下",
                string.Equals(parent, code, StringComparison.Ordinal)
                    ? $"单位“{current.Name}”（{code}）不能成为自己的上级。"
                    : $"“{parent}”是单位“{current.Name}”（{code}）的下级单位，移过去会形成循环。"),
            _ => (await units.GetAsync(code, cancellationToken))!,
        };
    }

    public Task<IReadOnlyList<OrgUnit>> ListAsync(CancellationToken cancellationToken) => units.ListAsync(cancellationToken);

    public Task<OrgUnit?> GetAsync(string code, CancellationToken cancellationToken) => units.GetAsync(code, cancellationToken);

    private static Problem UnitNotFound(string code) => Problem.Of(ProblemCodes.UnitNotFound, "单位不存在", $"找不到单位“{code}”。");

    private static List<FieldError> FieldErrors(IReadOnlyList<UnitRegistration> batch)
    {
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            var unit = batch[i];
            if (string.IsNullOrWhiteSpace(unit.Name) || unit.Name.Length > MaxNameLength)
            {
                errors.Add(new FieldError($"[{i}].name", $"单位“{unit.Code}”的名称应为 1–{MaxNameLength} 个字符"));
            }

            if (!OrgUnitKind.All.Contains(unit.Kind ?? ""))
            {
                errors.Add(new FieldError($"[{i}].kind", $"单位“{unit.Code}”的类型“{unit.Kind}”无效，应为 district、department、township、street、city 或 other"));
            }

            if (string.Equals(unit.ParentCode, unit.Code, StringComparison.Ordinal))
            {
                errors.Add(new FieldError($"[{i}].parent", $"单位“{unit.Code}”不能是自己的上级"));
            }

            if (!seen.Add(unit.Code))
            {
                errors.Add(new FieldError($"[{i}].code", $"单位“{unit.Code}”在同一批次中出现了两次"));
            }
        }

        return errors;
    }

    private async Task<List<FieldError>> UnknownParentsAsync(IReadOnlyList<UnitRegistration> batch, CancellationToken cancellationToken)
    {
        var inBatch = batch.Select(unit => unit.Code).ToHashSet(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        HashSet<string>? registered = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].ParentCode is not { } parent || inBatch.Contains(parent))
            {
                continue;
            }

            registered ??= (await units.ListAsync(cancellationToken)).Select(unit => unit.Code).ToHashSet(StringComparer.Ordinal);
            if (!registered.Contains(parent))
            {
                errors.Add(new FieldError($"[{i}].parent", $"单位“{batch[i].Code}”的上级单位“{parent}”尚未登记"));
            }
        }

        return errors;
    }
}

/// <summary>A change to one unit: a new name, a new parent, or both; null keeps what is stored, a parent of "" makes it a root.</summary>
public sealed record UnitChange(string? Name, string? Parent);
