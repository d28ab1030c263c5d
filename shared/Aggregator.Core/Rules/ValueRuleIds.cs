namespace Aggregator.Core.Rules;

/// <summary>Rule ids of problems found while reading cell values (the forms' own rule ids are in the form files).</summary>
public static class ValueRuleIds
{
    /// <summary>The text is not a number (error).</summary>
    public const string Format = "VALUE-FORMAT";

    /// <summary>The number is readable but its magnitude is beyond any real cell (error).</summary>
    public const string Range = "VALUE-RANGE";

    /// <summary>The unit written contradicts the cell's unit (error).</summary>
    public const string Unit = "VALUE-UNIT";

    /// <summary>A dash or slash was read as an explicit 0 (warning).</summary>
    public const string Dash = "VALUE-DASH";

    /// <summary>The id is not a cell of the format (error).</summary>
    public const string UnknownCell = "UNKNOWN-CELL";
}
