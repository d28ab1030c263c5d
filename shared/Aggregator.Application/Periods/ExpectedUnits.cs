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
    // One read per period however many requests ask at once: at a national period's opening every client's first
    // submission missed the cache together, and each read held all of its 10⁵ units.
    private readonly ConcurrentDictionary<Guid, Lazy<Task<FrozenDictionary<string, string>>>> _namesByPeriod = new();

    /// <summary>Unit code → unit name for every unit the period expects.</summary>
    public async Task<FrozenDictionary<string, string>> GetAsync(Guid periodId, CancellationToken cancellationToken)
    {
        var entry = _namesByPeriod.GetOrAdd(periodId, id => new Lazy<Task<FrozenDictionary<string, string>>>(() => ReadAsync(id)));
        FrozenDictionary<string, string> names;
        try
        {
            names = await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed read is not kept: the next request reads again.
            _namesByPeriod.TryRemove(new KeyValuePair<Guid, Lazy<Task<FrozenDictionary<string, string>>>>(periodId, entry));
            throw;
        }

        // An unknown period has no units yet; caching that would hide a period opened later under the same id.
        if (names.Count == 0)
        {
            _namesByPeriod.TryRemove(new KeyValuePair<Guid, Lazy<Task<FrozenDictionary<string, string>>>>(periodId, entry));
        }

        return names;
    }

    public async Task<bool> ContainsAsync(Guid periodId, string unitCode, CancellationToken cancellationToken) =>
        (await GetAsync(periodId, cancellationToken)).ContainsKey(unitCode);

    // Not bound to any one request's token: the read serves every request waiting on it.
    private async Task<FrozenDictionary<string, string>> ReadAsync(Guid periodId)
    {
        var units = await periods.GetExpectedUnitsAsync(periodId, CancellationToken.None);
        return units.ToFrozenDictionary(unit => unit.Code, unit => unit.Name, StringComparer.Ordinal);
    }
}
