namespace Aggregator.Core.Rules;

/// <summary>How bad a failed rule is: an error blocks inclusion in a rollup, a warning does not.</summary>
public enum Severity
{
    Error,
    Warning,
}
