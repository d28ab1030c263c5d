using Dapper;

namespace Aggregator.Storage.Dapper;

/// <summary>Process-wide Dapper settings, applied once before the first connection is opened.</summary>
internal static class DapperConventions
{
    static DapperConventions()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper's built-in mappings for these types win over handlers unless removed first.
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.RemoveTypeMap(typeof(DateOnly));
        SqlMapper.RemoveTypeMap(typeof(DateOnly?));
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    public static void Apply()
    {
        // The static constructor does the work exactly once, thread-safely.
    }
}
