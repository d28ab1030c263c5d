namespace Aggregator.Cli.Hosting;

/// <summary>
/// Documents produced as they are read, with their count known beforehand: a run of 10⁵ units submits them batch by
/// batch without ever holding them all.
/// </summary>
public sealed class GeneratedDocuments(int count, Func<IEnumerable<UnitDocument>> produce) : IReadOnlyCollection<UnitDocument>
{
    public int Count { get; } = count;

    public IEnumerator<UnitDocument> GetEnumerator() => produce().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
