using System.Globalization;

namespace Aggregator.Testing.Faults;

/// <summary>What one fault test measured, printed as one line that a report can quote.</summary>
/// <param name="Lost">Accepted versions that never got a validation outcome.</param>
/// <param name="DuplicatedDeliveries">Deliveries of a validation request for a version already validated (harmless, but counted).</param>
/// <param name="Reannounced">Versions the reconciler announced again because their message had waited too long.</param>
/// <param name="ConvergedSince">The moment <paramref name="TimeToConverge"/> counts from (e.g. "the broker back").</param>
public sealed record FaultFigures(
    string Fault, int Sent, int Accepted, int Validated, int Lost, int DuplicatedDeliveries, int Reannounced, TimeSpan TimeToConverge, string ConvergedSince)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"fault: {Fault} / sent {Sent} / accepted {Accepted} / validated {Validated} / lost {Lost} / duplicated deliveries {DuplicatedDeliveries} / re-announced by the reconciler {Reannounced} / time to converge {TimeToConverge.TotalSeconds:0.0} s after {ConvergedSince}");
}
