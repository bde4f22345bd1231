using Npgsql;
using GameData.Settings;

namespace GameData.Warehouses.Postgres;

/// <summary>Reads a PostgreSQL connection string, saying which part is wrong without ever echoing a value.</summary>
public static class PostgresConnectionStrings
{
    public static NpgsqlConnectionStringBuilder Parse(string text, string source)
    {
        try { return new NpgsqlConnectionStringBuilder(text); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new SettingsException($"the PostgreSQL connection string ({source}) is malformed: {Culprit(text)}");
        }
    }

    /// <summary>The first key=value part Npgsql refuses, named by its key only: the value may be a password.</summary>
    private static string Culprit(string text)
    {
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=');
            if (equals <= 0) return $"part {i + 1} is not key=value";
            var key = parts[i][..equals].Trim();
            try { _ = new NpgsqlConnectionStringBuilder(parts[i]); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                return new NpgsqlConnectionStringBuilder().ContainsKey(key)
                    ? $"the value of '{key}' is not valid for it"
                    : $"'{key}' is not a keyword PostgreSQL connection strings know " +
                      "(e.g. Host, Port, Username, Password, Database, SSL Mode)";
            }
        }
        return "its quoting is unbalanced";
    }

    public static SslMode SslModeFrom(string text, string describe) =>
        Enum.TryParse<SslMode>(text.Replace("-", ""), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new SettingsException($"{describe} is not an SSL mode (disable, allow, prefer, require, verify-ca, verify-full)");
}
