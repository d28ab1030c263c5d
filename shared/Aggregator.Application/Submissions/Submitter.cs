using Aggregator.Storage;

namespace Aggregator.Application.Submissions;

/// <summary>Who sends a submission: an actor, and for a unit's own key the unit it may submit for.</summary>
/// <param name="OwnUnitCode">The only unit this submitter may submit for; null for the district office (admin, CLI).</param>
public sealed record Submitter(Actor Actor, string? OwnUnitCode)
{
    /// <summary>The district office or the CLI: may submit for any expected unit named in the document.</summary>
    public static Submitter Office(Actor actor) => new(actor, null);

    /// <summary>A unit's own key: may submit only for that unit; a document without <c>unit_code</c> is taken as its.</summary>
    public static Submitter ForUnit(Actor actor, string unitCode) => new(actor, unitCode);
}
