using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Aggregator.Storage.Dapper;

/// <summary>SQLite keeps ids as canonical lower-case text (readable, comparable); the servers use native uuid types.</summary>
internal sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
{
    public override void SetValue(IDbDataParameter parameter, Guid value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("D");
        }
        else
        {
            parameter.DbType = DbType.Guid;
            parameter.Value = value;
        }
    }

    public override Guid Parse(object value) => value switch
    {
        Guid guid => guid,
        string text => Guid.Parse(text),
        byte[] bytes => new Guid(bytes),
        _ => throw new DataException($"Cannot read a {value.GetType().Name} as a Guid."),
    };
}
