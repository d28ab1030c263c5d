using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace Aggregator.Testing;

/// <summary>
/// The one way a test of this repository skips. A skip is allowed only for a service that is not configured and
/// cannot be started here; under <c>CI=true</c> only SQL Server's missing Docker engine may skip, anything else fails.
/// </summary>
public static class Skips
{
    public const string CiVariable = "CI";

    /// <summary>The start of the one skip reason a CI run accepts (build/test.sh checks the same words).</summary>
    public const string SqlServerNeedsDocker = "SQL Server needs a Docker engine";

    /// <summary>Skips the calling test, or fails it when the run is a CI run and the reason is not allowed there.</summary>
    [DoesNotReturn]
    public static void Skip(string reason)
    {
        if (ForbiddenReason(reason, Environment.GetEnvironmentVariable(CiVariable)) is { } forbidden)
        {
            throw new InvalidOperationException(forbidden);
        }

        Assert.Skip(reason);
    }

    /// <summary>Why a skip with <paramref name="reason"/> is not allowed when <c>CI</c> is <paramref name="ci"/>, or null when it is.</summary>
    public static string? ForbiddenReason(string reason, string? ci) =>
        IsCi(ci) && !reason.StartsWith(SqlServerNeedsDocker, StringComparison.Ordinal)
            ? $"{CiVariable}={ci} allows no skip but \"{SqlServerNeedsDocker}\": {reason}"
            : null;

    private static bool IsCi(string? value) =>
        value is { Length: > 0 } && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
}
