namespace Aggregator.Storage;

/// <summary>Who caused a change: an API key's id with its role, the CLI, or the system itself.</summary>
public sealed record Actor(string Id, string? Role)
{
    public static Actor System { get; } = new("system", null);

    public static Actor Cli { get; } = new("cli", "admin");
}
