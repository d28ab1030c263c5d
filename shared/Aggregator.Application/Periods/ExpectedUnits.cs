using System.Collections.Concurrent;
using System.Collections.Frozen;
using Aggregator.Storage.Periods;

namespace Aggregator.Application.Periods;

/// <summary>
/// The units each period expects. The set is snapshotted when the period is opened and never changes afterwards,
/// so it is read once per process rather than on every submission.
/// </summary>
public sealed class ExpectedUnits(PeriodRepository periods)
{
    private readonly ConcurrentDictionary<Guid, FrozenDictionary<string, string>> _namesByPeriod = new();

    /// <summary>Unit code → unit name for every unit the period expects.</summary>
    public async Task<FrozenDictionary<string, string>> GetAsync(Guid periodId, CancellationToken cancellationToken)
    {
        if (_namesByPeriod.TryGetValue(periodId, out var cached))
        {
            return cached;
        }

        var units = await periods.GetExpectedUnitsAsync(periodId, cancellationToken);
        var names = units.ToFrozenDictionary(unit => unit.Code, unit => unit.Name, StringComparer.Ordinal);
        // An unknown period has no units yet; caching that would hide a period opened later under the same id.
        if (names.Count > 0)
        {
            _namesByPeriod.TryAdd(periodId, names);
        }

        return names;
    }

    public async Task<bool> ContainsAsync(Guid periodId, string unitCode, CancellationToken cancellationToken) =>
        (await GetAsync(periodId, cancellationToken)).ContainsKey(unitCode);
}
