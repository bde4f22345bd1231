using GameData.Loading;
using GameData.Migrations;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// Snowflake: the seed is a scratch schema, migrated and loaded the usual way; every target is made from it by
/// zero-copy CLONE, no row sent again. A target that exists is rebuilt under a temporary name (a clone of
/// itself, so whatever else it holds stays, with the project's tables replaced by clones of the seed's), then
/// swapped with it in one statement, the only change a reader can see; a failure before the swap leaves it as
/// it was. The target's load lock is held meanwhile, so no load interleaves with the reset.
/// </summary>
internal sealed class SnowflakeReset(WarehouseSettings warehouse, ResetOptions options) : IResetStrategy
{
    private readonly string _seedSchema = $"GAMEDATA_SEED_{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}";
    private (long Rows, string LoadId) _seed;

    public void Seed(string dataDirectory) =>
        _seed = ResetSeed.Load(warehouse.WithSchema(_seedSchema, "the reset's seed schema"), options, dataDirectory, _ => { });

    public TargetReset Reset(string name, WarehouseSettings target)
    {
        var schema = target.Schema;
        using var opened = SnowflakeWarehouse.Open(target, lockTimeout: options.LockTimeout);
        var client = opened.Client;
        string Run(string sql) =>
            Guarded(() => client.ExecuteAsync(sql).GetAwaiter().GetResult().Rows.FirstOrDefault()?.FirstOrDefault() ?? "");
        List<string> Names(string sql) =>
            Guarded(() => client.ExecuteAsync(sql).GetAwaiter().GetResult().Rows.Select(r => r[0] ?? "").ToList());

        foreach (var drop in options.DropSchemas) Run($"DROP SCHEMA IF EXISTS {drop} CASCADE");
        var exists = Names($"SELECT schema_name FROM information_schema.schemata WHERE schema_name = '{schema}'").Count > 0;
        if (!exists)
        {
            Run($"CREATE SCHEMA {schema} CLONE {_seedSchema}");
            return new TargetReset(_seed.Rows, _seed.LoadId, [], []);
        }
        List<string> Others() =>
            Names($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}' ORDER BY table_name")
                .Where(t => !ProjectObjects.Owns(t) && !t.Equals(SnowflakeWarehouse.LockTable, StringComparison.OrdinalIgnoreCase))
                .ToList();
        TargetOwnership.Check(name, ReadState(Names, schema), options);
        var building = $"{schema}_RESET_{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        try
        {
            Run($"CREATE SCHEMA {building} CLONE {schema}");
            foreach (var table in ProjectObjects.Tables.Append(SnowflakeWarehouse.LockTable))
                Run($"CREATE OR REPLACE TABLE {building}.{table} CLONE {_seedSchema}.{table}");
            Run($"ALTER SCHEMA {schema} SWAP WITH {building}");
        }
        finally
        {
            // Before the swap: the half-built clone; after it: the target as it was.
            try { Run($"DROP SCHEMA IF EXISTS {building} CASCADE"); }
            catch (WarehouseException) { /* a leftover schema with a telling name; dropped by hand */ }
        }
        return new TargetReset(_seed.Rows, _seed.LoadId, Others(), []);
    }

    /// <summary>Whether the project migrated the schema (its journal) and whether it holds anything.</summary>
    private TargetState ReadState(Func<string, List<string>> names, string schema)
    {
        var tables = names($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}' ORDER BY table_name");
        var scripts = MigrationRunner.Scripts(warehouse.WithSchema(schema, "the target's schema"), options.MigrationsRoot);
        var journalTable = $"{schema}.{ChecksumTableJournal.TableName}";
        var (journal, foreign) = (default(IReadOnlyDictionary<string, string>), default(string));
        if (tables.Contains(ChecksumTableJournal.TableName, StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                var applied = names($"select script_name, checksum from {journalTable} order by script_name");
                (journal, foreign) = TargetState.ReadJournal(journalTable, applied.ToDictionary(n => n, _ => ""), scripts);
            }
            catch (WarehouseException)
            {
                (journal, foreign) = (null, $"{journalTable} is not gamedata's journal (it has no script_name and checksum columns)");
            }
        }
        return new TargetState(journal, foreign, tables.Count > 0,
            ProjectObjects.Tables.All(t => tables.Contains(t, StringComparer.OrdinalIgnoreCase)));
    }

    private static T Guarded<T>(Func<T> work)
    {
        try { return work(); }
        catch (SnowflakeException e) { throw new WarehouseException(e.Message, e); }
    }

    public void Dispose()
    {
        try
        {
            using var opened = SnowflakeWarehouse.Open(warehouse);
            opened.Client.ExecuteAsync($"DROP SCHEMA IF EXISTS {_seedSchema} CASCADE").GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SnowflakeException or HttpRequestException or WarehouseException)
        {
            /* a scratch schema; best effort */
        }
    }
}
