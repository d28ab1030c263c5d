namespace Aggregator.Cli.Demo;

/// <summary>A unit of a generated district.</summary>
/// <param name="Busy">Handles many applications and decisions (public security, planning, market supervision …).</param>
public sealed record ScenarioUnit(string Code, string Name, string Kind, string? Parent, bool Busy);
