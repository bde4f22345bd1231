using Npgsql;

namespace GameData.Warehouses.Postgres;

/// <summary>The few ways the PostgreSQL code runs SQL.</summary>
internal static class PostgresSql
{
    /// <summary>Without a command timeout: a load or a reset takes as long as its data.</summary>
    public static int Execute(this NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return command.ExecuteNonQuery();
    }

    public static T Scalar<T>(this NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static object?[] FirstRow(this NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray();
    }

    /// <summary>Every row, each value as text.</summary>
    public static List<string[]> Rows(this NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        return rows;
    }

    public static List<string> Column(this NpgsqlConnection connection, string sql) => [.. connection.Rows(sql).Select(r => r[0])];
}
