namespace Aggregator.Storage.Units;

/// <summary>A registered unit of the tree (district, department, township, …).</summary>
public sealed record OrgUnit
{
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>One of <see cref="OrgUnitKind"/>.</summary>
    public required string Kind { get; init; }

    public string? ParentCode { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A unit to register or update; the parent must exist already or come in the same batch.</summary>
public sealed record UnitRegistration(string Code, string Name, string Kind, string? ParentCode);
