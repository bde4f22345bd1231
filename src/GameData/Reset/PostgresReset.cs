using GameData.Loading;
using GameData.Migrations;
using GameData.Warehouses;
using Npgsql;

namespace GameData.Reset;

/// <summary>
/// PostgreSQL: the seed is a scratch schema of the targets' database, migrated and loaded the usual way (COPY).
/// Each target is then reset in one transaction of its own, under its schema's advisory lock: the project's
/// objects dropped, the migrations run, the journal written, and the rows copied from the seed on the server
/// (INSERT ... SELECT: nothing is sent from the client again). A failure leaves the target as it was.
/// </summary>
internal sealed class PostgresReset(WarehouseSettings warehouse, ResetOptions options) : IResetStrategy
{
    private readonly string _seedSchema = $"gamedata_seed_{Guid.NewGuid().ToString("N")[..10]}";
    private (long Rows, string LoadId) _seed;

    public void Seed(string dataDirectory)
    {
        var seed = warehouse with { Schema = _seedSchema };
        MigrationRunner.Run(seed, options.MigrationsRoot, dryRun: false, _ => { });
        using var opened = Warehouse.Open(seed, _ => { }, options.LockTimeout);
        var plan = DatasetLoader.Plan(opened, dataDirectory, LoadMode.Recreate, null);
        var counts = DatasetLoader.Run(opened, plan, new Progress<string>(), CancellationToken.None);
        _seed = (counts.Inserted, plan.LoadId);
    }

    public (long Rows, string LoadId, IReadOnlyList<string> Kept) Reset(ResetTarget target)
    {
        var schema = target.Warehouse.Schema;
        using var connection = new NpgsqlConnection(target.Warehouse.PostgresConnectionString);
        try
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, $"SET LOCAL lock_timeout = '{Math.Max(1, (long)options.LockTimeout.TotalMilliseconds)}ms'");
            Execute(connection, $"SELECT pg_advisory_xact_lock(hashtext('{PostgresWarehouse.LockName(schema)}'))");
            var kept = Column(connection, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}' ORDER BY table_name")
                .Where(t => !ProjectObjects.Owns(t)).ToList();
            foreach (var drop in options.DropSchemas) Execute(connection, $"DROP SCHEMA IF EXISTS {drop} CASCADE");
            // Views built on the RAW tables (a student's dbt models) go with them; dbt builds them again.
            Execute(connection, $"DROP TABLE IF EXISTS {string.Join(", ", ProjectObjects.Tables.Select(t => $"{schema}.{t}"))} CASCADE");
            Execute(connection, DropFunctionsSql(schema));
            // The Snowflake functions go into this schema: replacing the shared ones in public from several
            // transactions at once would make PostgreSQL refuse all but one ("tuple concurrently updated").
            Execute(connection, $"SELECT set_config('gamedata.functions_schema', '{schema}', true)");
            var scripts = MigrationScripts.For(WarehouseKind.Postgres, options.MigrationsRoot, schema);
            foreach (var script in scripts) Execute(connection, script.Sql);
            Execute(connection, ChecksumTableJournal.CreateTableSql($"{schema}.{ChecksumTableJournal.TableName}"));
            foreach (var script in scripts)
                Execute(connection, $"INSERT INTO {schema}.{ChecksumTableJournal.TableName} VALUES ('{script.Name}', '{script.Checksum}', now())");
            CopyFromSeed(connection, schema);
            transaction.Commit();
            return (_seed.Rows, _seed.LoadId, kept);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new WarehouseException(PostgresWarehouse.Explain(e, target.Warehouse), e);
        }
    }

    /// <summary>
    /// The rows, copied on the server. The tables' keys and indexes are dropped for the copy and built again after
    /// it, with sort memory to spare: one sorted build instead of an insert into the index per row (measured on
    /// the default events: 0.72 s against 1.16 s). The commit does not wait for the log to be flushed: a crash
    /// right after it loses the reset, never half of it.
    /// </summary>
    private void CopyFromSeed(NpgsqlConnection connection, string schema)
    {
        Execute(connection, "SET LOCAL maintenance_work_mem = '256MB'");
        Execute(connection, "SET LOCAL synchronous_commit = off");
        var keys = Rows(connection,
            $"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'p' AND connamespace = '{schema}'::regnamespace");
        var indexes = Rows(connection,
            $"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '{schema}' AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = '{schema}'::regnamespace)");
        foreach (var key in keys) Execute(connection, $"ALTER TABLE {key[0]} DROP CONSTRAINT {key[1]}");
        foreach (var index in indexes) Execute(connection, $"DROP INDEX {schema}.{index[0]}");
        foreach (var table in ProjectObjects.Copied)
            Execute(connection, $"INSERT INTO {schema}.{table} SELECT * FROM {_seedSchema}.{table}");
        foreach (var key in keys) Execute(connection, $"ALTER TABLE {key[0]} ADD CONSTRAINT {key[1]} {key[2]}");
        foreach (var index in indexes) Execute(connection, index[1]);
    }

    /// <summary>Functions and aggregates the migrations made in this schema (when they could not go into public).</summary>
    private static string DropFunctionsSql(string schema) => $"""
        DO $$
        DECLARE routine record;
        BEGIN
            FOR routine IN SELECT p.oid::regprocedure::text AS signature, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = '{schema}' LOOP
                EXECUTE format('DROP %s IF EXISTS %s CASCADE', CASE WHEN routine.prokind = 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, routine.signature);
            END LOOP;
        END
        $$
        """;

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    private static List<string> Column(NpgsqlConnection connection, string sql) => [.. Rows(connection, sql).Select(r => r[0])];

    private static List<string[]> Rows(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        return rows;
    }

    public void Dispose()
    {
        try
        {
            using var connection = new NpgsqlConnection(warehouse.PostgresConnectionString);
            connection.Open();
            Execute(connection, $"DROP SCHEMA IF EXISTS {_seedSchema} CASCADE");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { /* a scratch schema; best effort */ }
    }
}
