using Aggregator.Application.Periods;
using Aggregator.Application.Units;
using Aggregator.Storage.Periods;

namespace Aggregator.Pipeline.Tests.Support;

public static class HarnessSetup
{
    /// <summary>Registers <see cref="TestDocuments.SmallDistrict"/> and opens its 2019 fmt_2019 period.</summary>
    public static async Task<Period> OpenSmallDistrictAsync(this ApplicationHarness harness, int departments = 3, DateOnly? dueDate = null)
    {
        var ct = TestContext.Current.CancellationToken;
        (await harness.Get<UnitRegistry>().UpsertAsync(TestDocuments.SmallDistrict(departments), TestActors.Admin, ct)).Value.ToString();
        var opened = await harness.Get<PeriodService>().OpenAsync(
            new OpenPeriodRequest(2019, "fmt_2019", TestDocuments.District, dueDate ?? new DateOnly(2020, 1, 31)), TestActors.Admin, ct);
        return opened.Value;
    }
}
