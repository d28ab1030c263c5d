namespace Aggregator.Storage.Migrations;

/// <param name="AppliedScripts">Scripts run by this call; empty when the schema was current already.</param>
public sealed record MigrationResult(string Database, IReadOnlyList<string> AppliedScripts);
