using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aggregator.Storage.Dapper;

/// <summary>
/// Every timestamp is stored in UTC. SQLite has no date type, so it gets fixed-width ISO-8601 text that sorts and
/// compares like the instant it names; Npgsql refuses non-UTC offsets for timestamptz.
/// </summary>
internal sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public const string SqliteFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToSqliteText(DateTimeOffset value) =>
        value.UtcDateTime.ToString(SqliteFormat, CultureInfo.InvariantCulture);

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        switch (parameter)
        {
            case SqliteParameter:
                parameter.DbType = DbType.String;
                parameter.Value = ToSqliteText(value);
                break;
            case NpgsqlParameter:
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = value.ToUniversalTime();
                break;
            default:
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = value.ToUniversalTime();
                break;
        }
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new DataException($"Cannot read a {value.GetType().Name} as a DateTimeOffset."),
    };
}
