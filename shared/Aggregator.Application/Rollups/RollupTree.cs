namespace Aggregator.Application.Rollups;

/// <summary>
/// The units under a rollup's root as the period recorded them (each unit's parent as it stood when the period was
/// opened): a node's direct children, and for any unit the direct child of a node whose subtree holds it.
/// </summary>
public sealed class RollupTree
{
    private readonly Dictionary<string, string?> _parents;
    private readonly Dictionary<string, List<string>> _children;

    /// <param name="units">Every unit of the subtree with its parent; a parent outside the list means the root.</param>
    public RollupTree(string rootUnitCode, IEnumerable<(string UnitCode, string? ParentCode)> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        Root = rootUnitCode;
        _parents = new Dictionary<string, string?>(StringComparer.Ordinal) { [rootUnitCode] = null };
        var listed = units.Where(unit => unit.UnitCode != rootUnitCode).ToList();
        foreach (var (code, _) in listed)
        {
            _parents[code] = rootUnitCode;
        }

        foreach (var (code, parent) in listed)
        {
            if (parent is not null && parent != code && _parents.ContainsKey(parent))
            {
                _parents[code] = parent;
            }
        }

        _children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (code, parent) in _parents)
        {
            if (parent is not null)
            {
                (_children.TryGetValue(parent, out var list) ? list : _children[parent] = []).Add(code);
            }
        }

        foreach (var list in _children.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }
    }

    public string Root { get; }

    public bool Contains(string unitCode) => _parents.ContainsKey(unitCode);

    /// <summary>Whether any unit of the root's direct children has units under it (the rollup is not flat).</summary>
    public bool HasInnerNodes => Children(Root).Any(IsInner);

    public bool IsInner(string unitCode) => _children.ContainsKey(unitCode);

    public IReadOnlyList<string> Children(string unitCode) => _children.TryGetValue(unitCode, out var list) ? list : [];

    /// <summary>The root first, then each node down to <paramref name="unitCode"/>.</summary>
    public IReadOnlyList<string> PathTo(string unitCode)
    {
        var path = new List<string>();
        for (string? at = unitCode; at is not null && path.Count <= _parents.Count; at = _parents.GetValueOrDefault(at))
        {
            path.Add(at);
        }

        path.Reverse();
        return path;
    }

    /// <summary>
    /// The direct child of <paramref name="node"/> whose subtree holds <paramref name="unitCode"/>; the node itself
    /// when the unit is the node; null when the unit is not under the node.
    /// </summary>
    public string? ChildOf(string node, string unitCode)
    {
        var guard = 0;
        for (string? at = unitCode; at is not null && guard++ <= _parents.Count; at = _parents.GetValueOrDefault(at))
        {
            var parent = _parents.GetValueOrDefault(at);
            if (at == node)
            {
                return node;
            }

            if (parent == node)
            {
                return at;
            }
        }

        return null;
    }
}
