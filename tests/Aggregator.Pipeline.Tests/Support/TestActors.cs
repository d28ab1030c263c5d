using Aggregator.Application.Submissions;
using Aggregator.Storage;

namespace Aggregator.Pipeline.Tests.Support;

public static class TestActors
{
    public static Actor Admin { get; } = new("test-admin", ApiKeyRole.Admin);

    public static Submitter Office { get; } = Submitter.Office(Admin);

    public static Submitter UnitKey(string unitCode) => Submitter.ForUnit(new Actor("key-" + unitCode, ApiKeyRole.Unit), unitCode);
}
