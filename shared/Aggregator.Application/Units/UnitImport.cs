using Aggregator.Application.Results;
using Aggregator.Storage;
using Aggregator.Storage.Units;

namespace Aggregator.Application.Units;

public enum UnitImportAction
{
    Add,
    Change,
    Unchanged,
}

/// <summary>What importing one line would do; <see cref="Changes"/> names each changed field in words (名称、类型、上级).</summary>
public sealed record UnitImportStep(UnitListEntry Unit, UnitImportAction Action, OrgUnit? Current, IReadOnlyList<string> Changes);

/// <summary>The dry run of an import: each line's step, and every wrong line; nothing is stored while any line is wrong.</summary>
public sealed record UnitImportPlan(IReadOnlyList<UnitImportStep> Steps, IReadOnlyList<UnitListError> Errors)
{
    public bool CanApply => Errors.Count == 0 && Steps.Any(step => step.Action != UnitImportAction.Unchanged);

    public int Count(UnitImportAction action) => Steps.Count(step => step.Action == action);
}

/// <summary>
/// Imports a list of units into the registry: <see cref="PlanAsync"/> says what would be added or changed and which
/// lines are wrong (format, a parent neither listed nor registered, a cycle), <see cref="ApplyAsync"/> stores the
/// whole list in one transaction or nothing.
/// </summary>
public sealed class UnitImport(UnitRegistry registry)
{
    public async Task<UnitImportPlan> PlanAsync(UnitListRead list, CancellationToken cancellationToken)
    {
        var existing = (await registry.ListAsync(cancellationToken)).ToDictionary(unit => unit.Code, StringComparer.Ordinal);
        var errors = new List<UnitListError>(list.Errors);
        var parents = existing.Values.ToDictionary(unit => unit.Code, unit => unit.ParentCode, StringComparer.Ordinal);
        foreach (var unit in list.Units)
        {
            parents[unit.Code] = unit.ParentCode;
        }

        var steps = new List<UnitImportStep>(list.Units.Count);
        foreach (var unit in list.Units)
        {
            if (unit.ParentCode is { } parent && !parents.ContainsKey(parent))
            {
                errors.Add(new UnitListError(unit.Where, $"上级单位“{parent}”既不在清单中，也尚未登记"));
            }
            else if (FormsCycle(unit.Code, parents))
            {
                errors.Add(new UnitListError(unit.Where, $"单位“{unit.Code}”的上级关系形成了循环（会成为自己的下级）"));
            }

            steps.Add(Step(unit, existing.GetValueOrDefault(unit.Code)));
        }

        return new UnitImportPlan(steps, [.. errors.OrderBy(error => LineOf(error.Where))]);
    }

    /// <summary>Plans again (the tree may have changed since the dry run) and stores the list only when no line is wrong.</summary>
    public async Task<Result<UnitImportPlan>> ApplyAsync(UnitListRead list, Actor actor, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(list, cancellationToken);
        if (plan.Errors.Count > 0)
        {
            return Problem.Of(ProblemCodes.UnitListInvalid, "单位清单有误", $"单位清单有 {plan.Errors.Count} 处错误，未导入任何单位。") with
            {
                Errors = [.. plan.Errors.Select(error => new FieldError(error.Where, error.Message))],
            };
        }

        var changed = plan.Steps.Where(step => step.Action != UnitImportAction.Unchanged).Select(step => step.Unit).ToList();
        if (changed.Count == 0)
        {
            return plan;
        }

        var stored = await registry.UpsertAsync(
            [.. changed.Select(unit => new UnitRegistration(unit.Code, unit.Name, unit.Kind, unit.ParentCode))], actor, cancellationToken);
        return stored.IsSuccess ? plan : stored.Problem;
    }

    private static UnitImportStep Step(UnitListEntry unit, OrgUnit? current)
    {
        if (current is null)
        {
            return new UnitImportStep(unit, UnitImportAction.Add, null, []);
        }

        var changes = new List<string>();
        if (!string.Equals(current.Name, unit.Name, StringComparison.Ordinal))
        {
            changes.Add($"名称：{current.Name} → {unit.Name}");
        }

        if (!string.Equals(current.Kind, unit.Kind, StringComparison.Ordinal))
        {
            changes.Add($"类型：{current.Kind} → {unit.Kind}");
        }

        if (!string.Equals(current.ParentCode, unit.ParentCode, StringComparison.Ordinal))
        {
            changes.Add($"上级：{current.ParentCode ?? "（无）"} → {unit.ParentCode ?? "（无）"}");
        }

        return new UnitImportStep(unit, changes.Count == 0 ? UnitImportAction.Unchanged : UnitImportAction.Change, current, changes);
    }

    private static bool FormsCycle(string code, Dictionary<string, string?> parents)
    {
        var current = parents.GetValueOrDefault(code);
        for (var steps = 0; current is not null && steps <= parents.Count; steps++)
        {
            if (string.Equals(current, code, StringComparison.Ordinal))
            {
                return true;
            }

            current = parents.GetValueOrDefault(current);
        }

        return current is not null;
    }

    /// <summary>The number in 第 N 行 / 第 N 项, or 0 for the list as a whole.</summary>
    public static int LineOf(string where) =>
        int.TryParse(new string([.. where.Where(char.IsAsciiDigit)]), System.Globalization.CultureInfo.InvariantCulture, out var line) ? line : 0;
}
