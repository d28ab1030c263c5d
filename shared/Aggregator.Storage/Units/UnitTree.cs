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
