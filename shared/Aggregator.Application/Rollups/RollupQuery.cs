using Aggregator.Application.Periods;
using Aggregator.Application.Validation;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;
using Aggregator.Storage;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Rollups;

namespace Aggregator.Application.Rollups;

public sealed class RollupQuery(
    RollupRepository rollups,
    PeriodRepository periods,
    ExpectedUnits expectedUnits,
    FormCatalog catalog)
{
    /// <summary>The rollup with its sums, inputs and exclusions, and its own validation; null when there is none.</summary>
    public async Task<RollupView?> GetAsync(Guid rollupId, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(rollupId, cancellationToken);
        if (rollup is null)
        {
            return null;
        }

        var names = await expectedUnits.GetAsync(rollup.PeriodId, cancellationToken);
        string NameOf(string code) => names.GetValueOrDefault(code, code);

        var values = rollup.Values
            .Where(value => value.Value is not null)
            .ToDictionary(value => value.CellId, value => value.Value!.Value, StringComparer.Ordinal);
        IReadOnlyList<ViolationView> validation = [];
        var computed = rollup.Status is RollupStatus.Rendering or RollupStatus.Completed;
        if (computed
            && await periods.GetAsync(rollup.PeriodId, cancellationToken) is { } period
            && catalog.TryGet(period.FormId, out var form))
        {
            // The sum's own check is recomputed, not stored: it is a pure function of the stored values.
            var table = NormalizedTable.FromValues(form, values.Select(v => KeyValuePair.Create(v.Key, (decimal?)v.Value)));
            validation = ViolationView.From(RuleEvaluator.Evaluate(table));
        }

        var excluded = rollup.Exclusions.ToLookup(exclusion => exclusion.Reason, StringComparer.Ordinal);
        return new RollupView(
            rollup.Id,
            rollup.PeriodId,
            rollup.UnitCode,
            rollup.Status,
            rollup.RequestedAt,
            rollup.CompletedAt,
            rollup.Error,
            rollup.ErrorCode,
            computed && rollup.StaleSince is not null,
            values,
            [.. rollup.Inputs.Select(input => new IncludedUnitView(input.UnitCode, NameOf(input.UnitCode), input.SubmissionId, input.Version))],
            [.. excluded[ExclusionReason.Missing].Select(e => new UnitReference(e.UnitCode, NameOf(e.UnitCode)))],
            [.. excluded[ExclusionReason.Rejected].Select(e =>
            {
                var rejection = Rejection.FromJson(e.RulesJson);
                return new RejectedUnitView(e.UnitCode, NameOf(e.UnitCode), rejection.Version, rejection.Rules);
            })],
            [.. excluded[ExclusionReason.Pending].Select(e => new UnitReference(e.UnitCode, NameOf(e.UnitCode)))],
            validation);
    }

    /// <summary>Where a rollup stands, without its sums: cheap enough to wait on.</summary>
    public async Task<RollupState?> GetStateAsync(Guid rollupId, CancellationToken cancellationToken) =>
        await rollups.GetHeaderAsync(rollupId, cancellationToken) is { } header
            ? new RollupState(header.Id, header.Status, header.Error, header.ErrorCode)
            : null;

    /// <summary>A period's rollups, newest first, without their values.</summary>
    public Task<IReadOnlyList<Rollup>> ListAsync(Guid periodId, CancellationToken cancellationToken) => rollups.ListAsync(periodId, cancellationToken);
}
