namespace Aggregator.Storage.Units;

/// <summary>Orders a batch so that parents are written before their children, and refuses batches that form a cycle.</summary>
internal static class UnitTree
{
    public static IReadOnlyList<UnitRegistration> ParentsFirst(
        IReadOnlyDictionary<string, string?> existingParents, IReadOnlyCollection<UnitRegistration> batch)
    {
        var parents = new Dictionary<string, string?>(existingParents, StringComparer.Ordinal);
        var byCode = new Dictionary<string, UnitRegistration>(StringComparer.Ordinal);
        foreach (var unit in batch)
        {
            if (!byCode.TryAdd(unit.Code, unit))
            {
                throw new ArgumentException($"Unit '{unit.Code}' appears twice in one batch.", nameof(batch));
            }

            parents[unit.Code] = unit.ParentCode;
        }

        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in batch)
        {
            depth[unit.Code] = DepthOf(unit.Code, parents, batch.Count + existingParents.Count);
        }

        return [.. batch.OrderBy(unit => depth[unit.Code]).ThenBy(unit => unit.Code, StringComparer.Ordinal)];
    }

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="code"/> or lies on its path up to the root.</summary>
    public static bool IsAncestorOrSelf(string ancestor, string code, IReadOnlyDictionary<string, string?> parents)
    {
        string? current = code;
        for (var steps = 0; current is not null && steps <= parents.Count; steps++)
        {
            if (string.Equals(current, ancestor, StringComparison.Ordinal))
            {
                return true;
            }

            current = parents.TryGetValue(current, out var parent) ? parent : null;
        }

        return false;
    }

    private static int DepthOf(string code, Dictionary<string, string?> parents, int limit)
    {
        var depth = 0;
        var current = code;
        while (parents.TryGetValue(current, out var parent) && parent is not null)
        {
            if (++depth > limit || string.Equals(parent, code, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unit '{code}' would become its own ancestor.");
            }

            current = parent;
        }

        return depth;
    }
}
