using DuckDB.NET.Data;
using GameData.Files;
using GameData.Migrations;

namespace GameData.Warehouses.DuckDb;

/// <summary>
/// DuckDB: the seed is a file of its own, migrated and loaded the usual way. A target file that does not exist
/// yet is a copy of it. An existing one is reset like a load: in a copy of the file (its other schemas and
/// tables kept), the project's tables are dropped, the migrations run, the rows copied from the attached
/// seed, and the copy renamed over the file. Atomic: a failure or a kill leaves the file as it was.
/// </summary>
internal sealed class DuckDbReset(WarehouseSettings warehouse, ResetOptions options, Action<string> log) : IResetStrategy
{
    private readonly string _folder = TemporaryFolders.Create(ResetSeed.FolderPrefix).FullName;
    private string SeedFile => Path.Combine(_folder, "seed.duckdb");
    private (long Rows, string LoadId) _seed;

    public void Seed(string dataDirectory) => _seed = ResetSeed.Load(warehouse with { DuckDbPath = SeedFile }, options, dataDirectory, log);

    public TargetReset Reset(string name, WarehouseSettings target)
    {
        var path = target.DuckDbPath;
        using var file = DuckDbFile.Lock(path, log, options.LockTimeout);
        if (!File.Exists(path))
        {
            // Nothing to keep: the finished seed, copied whole and renamed into place.
            var copy = TemporaryFiles.NameFor(path);
            try
            {
                File.Copy(SeedFile, copy);
                File.Move(copy, path);
            }
            finally
            {
                DuckDbFile.Discard(copy);
            }
            return new TargetReset(_seed.Rows, _seed.LoadId, [], []);
        }
        var next = file.Copy();
        try
        {
            IReadOnlyList<string> kept;
            using (var connection = DuckDbFile.Connect(next, target.DuckDbThreads))
            {
                kept = ResetInto(connection, name, target);
                connection.Execute("CHECKPOINT");
            }
            file.Replace(next);
            return new TargetReset(_seed.Rows, _seed.LoadId, kept, []);
        }
        finally
        {
            DuckDbFile.Discard(next);
        }
    }

    /// <summary>
    /// DuckDB binds views when they are read, so dropping the RAW tables leaves a user's views and macros in place and
    /// they read the new tables afterwards.
    /// </summary>
    private IReadOnlyList<string> ResetInto(DuckDBConnection connection, string name, WarehouseSettings target)
    {
        var schema = target.Schema;
        var scripts = MigrationRunner.Scripts(target, options.MigrationsRoot);
        TargetOwnership.Check(name, ReadState(connection, schema, scripts), options);
        // Two transactions in the copy, which is renamed over the file only once both have committed. The seed is
        // attached after the migrations, whose journal would otherwise find the seed's in information_schema.
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var drop in options.DropSchemas) connection.Execute($"DROP SCHEMA IF EXISTS {drop} CASCADE");
            foreach (var table in ProjectObjects.Tables) connection.Execute($"DROP TABLE IF EXISTS {schema}.{table}");
            MigrationRunner.Apply(target, options.MigrationsRoot, connection);
            transaction.Commit();
        }
        connection.Execute($"ATTACH '{SeedFile.Replace("'", "''")}' AS gamedata_seed (READ_ONLY)");
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var table in ProjectObjects.Copied)
                connection.Execute($"INSERT INTO {schema}.{table} SELECT * FROM gamedata_seed.{warehouse.Schema}.{table}");
            transaction.Commit();
        }
        connection.Execute("DETACH gamedata_seed");
        return Kept(connection, schema, TargetOwnership.Functions(scripts));
    }

    private static TargetState ReadState(DuckDBConnection connection, string schema, IReadOnlyList<MigrationScript> scripts)
    {
        var tables = connection.Column($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'");
        var macros = connection.Column($"SELECT function_name FROM duckdb_functions() WHERE schema_name = '{schema}' AND NOT internal");
        var journalTable = $"{schema}.{ChecksumTableJournal.TableName}";
        var (journal, foreign) = (default(IReadOnlyDictionary<string, string>), default(string));
        if (tables.Contains(ChecksumTableJournal.TableName, StringComparer.OrdinalIgnoreCase))
        {
            var columns = connection.Column($"SELECT column_name FROM information_schema.columns WHERE table_schema = '{schema}' " +
                $"AND table_name = '{ChecksumTableJournal.TableName}'");
            (journal, foreign) = new[] { "script_name", "checksum", "applied_at" }.All(columns.Contains)
                ? TargetState.ReadJournal(journalTable,
                    connection.Rows($"SELECT script_name, checksum FROM {journalTable}").ToDictionary(r => r[0], r => r[1]), scripts)
                : (null, $"{journalTable} is not gamedata's journal (its columns are not script_name, checksum, applied_at)");
        }
        return new TargetState(journal, foreign, tables.Count + macros.Count > 0,
            ProjectObjects.Tables.All(t => tables.Contains(t, StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>Everything else the schema holds, read back: tables, views and macros the project did not make.</summary>
    private static List<string> Kept(DuckDBConnection connection, string schema, IReadOnlySet<string> functions) =>
        [.. connection.Column($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}' " +
                               $"UNION SELECT function_name FROM duckdb_functions() WHERE schema_name = '{schema}' AND NOT internal")
            .Where(name => !ProjectObjects.Owns(name) && !functions.Contains(name.ToLowerInvariant())).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
