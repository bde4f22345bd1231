using CsvHelper;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Reset;

/// <summary>One environment to reset: a schema of a warehouse (a DuckDB file, a PostgreSQL database, a Snowflake database).</summary>
public sealed record ResetTarget(string Name, WarehouseSettings Warehouse)
{
    /// <summary>
    /// Targets of one group are copied from one seed by the warehouse itself: one DuckDB seed per schema name,
    /// one PostgreSQL seed per database and role, one Snowflake seed per database and user.
    /// </summary>
    public string Group => Warehouse.Provider.ResetGroup(Warehouse);

    /// <summary>Where it is, without secrets, e.g. <c>postgres me@db:5432/course (schema student01)</c>.</summary>
    public string Location => Warehouse.Describe();
}

/// <summary>
/// The targets of a reset: the <c>--schema</c> names (comma-separated, repeated, or both) in the warehouse the
/// settings name, one DuckDB file per name in <c>--duckdb-dir</c>, or the rows of a <c>--targets</c> file.
/// </summary>
public static class ResetTargets
{
    public const int Most = 1000;
    private static readonly string[] Columns = ["name", "warehouse", "schema", "connection"];

    public static IReadOnlyList<ResetTarget> FromNames(WarehouseSettings warehouse, IReadOnlyList<string> names, string? duckDbFolder)
    {
        if (duckDbFolder is not null && warehouse.Provider.InFolder(warehouse, duckDbFolder, warehouse.Schema) is null)
            throw new SettingsException("--duckdb-dir is for DuckDB targets (--warehouse duckdb)");
        var targets = (names.Count == 0 ? [warehouse.Schema] : names).Select(name =>
        {
            var folded = SqlIdentifier.Schema(name, warehouse.Provider, $"--schema '{name}'");
            return new ResetTarget(folded, duckDbFolder is null
                ? warehouse.WithSchema(folded, $"--schema '{name}'")
                : warehouse.Provider.InFolder(warehouse, duckDbFolder, folded)!);
        }).ToList();
        return Checked(targets, "--schema");
    }

    /// <summary>
    /// A CSV file with a header: name, warehouse, schema, connection (a PostgreSQL connection string without its
    /// password, a DuckDB file, a Snowflake account), and optionally password_env: the environment variable
    /// holding that row's password (PostgreSQL) or access token (Snowflake). Secrets in the file are refused.
    /// </summary>
    public static IReadOnlyList<ResetTarget> FromFile(string path, SettingLayers layers)
    {
        if (!File.Exists(path)) throw new SettingsException($"--targets '{path}' does not exist");
        using var stream = File.OpenRead(path);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = false, TrackLineNumbers = true });
        if (!csv.Read()) throw new SettingsException(
            $"{path} is empty: give a header (name,warehouse,schema,connection,password_env) and a row per target");
        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i).Trim().ToLowerInvariant()).ToList();
        if (Columns.FirstOrDefault(c => !header.Contains(c)) is { } missing)
            throw new SettingsException($"{path} has no '{missing}' column (the header needs {string.Join(", ", Columns)}, " +
                "and password_env where a secret is needed)");
        if (header.FirstOrDefault(h => !Columns.Contains(h) && h != "password_env") is { } unknown)
            throw new SettingsException($"{path} has a column '{unknown}' that is not one of {string.Join(", ", Columns)}, password_env");
        string Cell(string column) =>
            header.IndexOf(column) is var index and >= 0 && index < csv.FieldCount ? csv.GetString(index).Trim() : "";
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var targets = new List<ResetTarget>();
        while (csv.Read())
        {
            var row = $"{path}:{csv.LineNumber}";
            var passwordVariable = header.Contains("password_env") ? Cell("password_env") : "";
            var secret = passwordVariable.Length == 0 ? null : layers.Get(passwordVariable)?.Text
                ?? throw new SettingsException($"{row}: password_env names {passwordVariable}, which is not set");
            var provider = WarehouseRegistry.From(new SettingValue("warehouse", Cell("warehouse"), row));
            var values = provider.TargetSettings(Cell("connection"), secret, row, folder, layers)
                .Prepend(new("GAME_SCHEMA", Cell("schema"))).Prepend(new("GAME_WAREHOUSE", Cell("warehouse")));
            var name = Cell("name");
            if (name.Length == 0) throw new SettingsException($"{row}: the target has no name");
            var settings = WarehouseSettings.From(new SettingLayers().Add(row, values));
            targets.Add(new ResetTarget(name, settings));
        }
        if (targets.FirstOrDefault(t => targets.Count(o => o.Name == t.Name) > 1) is { } twice)
            throw new SettingsException($"{path} names the target '{twice.Name}' twice");
        return Checked(targets, path);
    }

    private static List<ResetTarget> Checked(List<ResetTarget> targets, string source)
    {
        if (targets.Count > Most)
            throw new SettingsException($"{source} names {targets.Count:N0} targets; a reset takes at most {Most:N0}");
        foreach (var target in targets) TargetOwnership.RefuseShared(target.Warehouse.Schema, $"{source} '{target.Name}'");
        var twice = targets.GroupBy(t => t.Location).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new SettingsException($"{source} names {twice.Key} twice");
        return targets;
    }
}
