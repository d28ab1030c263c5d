using Aggregator.Storage;

namespace Aggregator.Application.Periods;

/// <summary>How a direct child of a node stands: a unit by itself, or a node counted over the units that report under it.</summary>
/// <param name="IsInner">The child has units under it in the period's tree.</param>
public sealed record ChildCompleteness(string UnitCode, string UnitName, bool IsInner, int Expected, int Submitted, int Accepted, int Rejected, int Missing);

/// <summary>
/// A period's completeness read along the tree recorded when it opened. A node with units under it is summed through
/// them, so it is expected to report only when it submitted itself; the counts of a node are those of its subtree.
/// </summary>
public sealed class CompletenessTree
{
    private readonly Dictionary<string, UnitCompletenessView> _units;
    private readonly Dictionary<string, List<UnitCompletenessView>> _children = new(StringComparer.Ordinal);
    private readonly List<UnitCompletenessView> _top = [];

    public CompletenessTree(CompletenessView view)
    {
        _units = view.Units.ToDictionary(unit => unit.UnitCode, StringComparer.Ordinal);
        foreach (var unit in view.Units)
        {
            if (unit.ParentCode is { } parent && _units.ContainsKey(parent))
            {
                (_children.TryGetValue(parent, out var list) ? list : _children[parent] = []).Add(unit);
            }
            else
            {
                _top.Add(unit);
            }
        }
    }

    /// <summary>Whether the period expects <paramref name="code"/> (a unit or node below its root).</summary>
    public bool Contains(string code) => _units.ContainsKey(code);

    public bool IsInner(string code) => _children.ContainsKey(code);

    /// <summary>The nodes from the top down to <paramref name="node"/>, itself included.</summary>
    public IReadOnlyList<UnitCompletenessView> PathTo(string node)
    {
        var path = new List<UnitCompletenessView>();
        for (var at = _units.GetValueOrDefault(node); at is not null; at = at.ParentCode is { } parent ? _units.GetValueOrDefault(parent) : null)
        {
            path.Insert(0, at);
        }

        return path;
    }

    /// <summary>The direct children of <paramref name="node"/> (null: of the period's root).</summary>
    public IReadOnlyList<UnitCompletenessView> ChildrenOf(string? node) =>
        node is null ? _top : _children.GetValueOrDefault(node) ?? [];

    /// <summary>Whether some direct child of <paramref name="node"/> has units under it.</summary>
    public bool HasInnerChildren(string? node) => ChildrenOf(node).Any(child => IsInner(child.UnitCode));

    /// <summary>The units expected to report in the subtree of <paramref name="node"/> (null: the whole period), itself included when it submitted.</summary>
    public IReadOnlyList<UnitCompletenessView> Reporting(string? node)
    {
        var result = new List<UnitCompletenessView>();
        var stack = new Stack<UnitCompletenessView>();
        if (node is null)
        {
            foreach (var unit in Enumerable.Reverse(_top))
            {
                stack.Push(unit);
            }
        }
        else if (_units.TryGetValue(node, out var start))
        {
            stack.Push(start);
        }

        while (stack.TryPop(out var unit))
        {
            if (!IsInner(unit.UnitCode) || unit.Status != CompletenessQuery.Missing)
            {
                result.Add(unit);
            }

            foreach (var child in Enumerable.Reverse(ChildrenOf(unit.UnitCode)))
            {
                stack.Push(child);
            }
        }

        return result;
    }

    /// <summary>Each direct child of <paramref name="node"/> with the counts of the units reporting in its subtree.</summary>
    public IReadOnlyList<ChildCompleteness> ChildCounts(string? node) =>
        [.. ChildrenOf(node).Select(child =>
        {
            var units = Reporting(child.UnitCode);
            return new ChildCompleteness(
                child.UnitCode,
                child.UnitName,
                IsInner(child.UnitCode),
                units.Count,
                units.Count(unit => unit.Status != CompletenessQuery.Missing),
                units.Count(unit => SubmissionStatus.IsAccepted(unit.Status)),
                units.Count(unit => unit.Status == SubmissionStatus.Rejected),
                units.Count(unit => unit.Status == CompletenessQuery.Missing));
        })];
}
