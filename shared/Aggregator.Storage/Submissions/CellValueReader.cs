using System.Data.Common;

namespace Aggregator.Storage.Submissions;

/// <summary>Reads cell rows by hand: the hot path for summation, and the one place that knows SQLite keeps decimals as text.</summary>
internal static class CellValueReader
{
    public static CellValue Read(DbDataReader reader, int firstOrdinal)
    {
        var cellId = reader.GetString(firstOrdinal);
        decimal? value = reader.IsDBNull(firstOrdinal + 1) ? null : StoredDecimal.FromStorage(reader.GetDecimal(firstOrdinal + 1));
        var rawText = reader.IsDBNull(firstOrdinal + 2) ? null : reader.GetString(firstOrdinal + 2);
        var flags = reader.GetInt32(firstOrdinal + 3);
        return new CellValue(cellId, value, rawText, flags);
    }
}
