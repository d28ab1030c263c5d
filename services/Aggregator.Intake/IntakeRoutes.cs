namespace Aggregator.Intake;

public static class IntakeRoutes
{
    /// <summary>Every API endpoint lives under this prefix.</summary>
    public const string Prefix = "/api/v1";

    public const string OpenApiDocument = "/openapi/v1.json";

    public const string ApiReference = "/scalar";
}
