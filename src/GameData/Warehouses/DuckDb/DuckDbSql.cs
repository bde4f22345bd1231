using DuckDB.NET.Data;
using GameData.Loading;

namespace GameData.Warehouses.DuckDb;

/// <summary>The few ways the DuckDB code runs SQL; DuckDB's errors become one line of <see cref="WarehouseException"/>.</summary>
internal static class DuckDbSql
{
    /// <param name="cancellation">Interrupts the statement (Ctrl+C, SIGTERM) rather than waiting for its end.</param>
    public static int Execute(this DuckDBConnection connection, string sql, CancellationToken cancellation = default)
    {
        using var command = Command(connection, sql);
        using var interrupt = cancellation.Register(command.Cancel);
        try { return command.ExecuteNonQuery(); }
        catch (DuckDBException) when (cancellation.IsCancellationRequested) { throw new OperationCanceledException(cancellation); }
        catch (DuckDBException e) { throw new WarehouseException($"DuckDB: {FirstLine(e.Message)}", e); }
    }

    public static T Scalar<T>(this DuckDBConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static object?[] FirstRow(this DuckDBConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray();
    }

    /// <summary>Every row, each value as text.</summary>
    public static List<string[]> Rows(this DuckDBConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        return rows;
    }

    public static List<string> Column(this DuckDBConnection connection, string sql) => [.. connection.Rows(sql).Select(r => r[0])];

    public static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static DuckDBCommand Command(DuckDBConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
