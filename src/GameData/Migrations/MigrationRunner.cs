using System.Text.RegularExpressions;
using DbUp;
using DbUp.Builder;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Postgresql;
using GameData.Warehouses;
using GameData.Warehouses.Snowflake;

namespace GameData.Migrations;

public sealed record MigrationOutcome(IReadOnlyList<string> Pending, IReadOnlyList<string> AlreadyApplied, bool DryRun);

/// <summary>Thrown when migrating cannot go ahead; the message is one line for the user.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Settings.GameDataException(message, Settings.ExitCodes.Failed, inner);

/// <summary>
/// MigrateRaw: applies <c>migrations/&lt;dialect&gt;/*.sql</c> with DbUp, in one transaction, journaled with
/// checksums in the target schema. An applied script whose text changed stops the run before anything runs.
/// </summary>
public static class MigrationRunner
{
    public static MigrationOutcome Run(WarehouseSettings warehouse, string migrationsRoot, bool dryRun, Action<string> log)
    {
        var folder = Path.Combine(migrationsRoot, warehouse.Kind.ToString().ToLowerInvariant());
        if (!Directory.Exists(folder)) throw new MigrationException($"no migrations folder at {folder}");

        IConnectionManager? connectionManager = null;
        ChecksumTableJournal? journal = null;
        var upgradeLog = new ForwardingLog(log);
        using var snowflake = warehouse.Kind == WarehouseKind.Snowflake ? SnowflakeWarehouse.Open(warehouse) : null;
        var builder = Builder(warehouse, snowflake)
            .WithScriptsFromFileSystem(folder)
            .WithVariable("schema", warehouse.Schema)
            .LogTo(upgradeLog);
        // One transaction for all scripts where the warehouse can hold one; the SQL API cannot.
        builder = warehouse.Kind == WarehouseKind.Snowflake ? builder.WithoutTransaction() : builder.WithTransaction();
        builder.Configure(c =>
        {
            connectionManager = c.ConnectionManager;
            c.Journal = journal = new ChecksumTableJournal(() => c.ConnectionManager, () => c.Log, warehouse.Kind switch
                {
                    WarehouseKind.DuckDb => new DuckDb.DuckDbObjectParser(),
                    WarehouseKind.Snowflake => new Snowflake.SnowflakeObjectParser(),
                    _ => new PostgresqlObjectParser(),
                },
                warehouse.Schema, ChecksumTableJournal.TableName, warehouse.Kind == WarehouseKind.DuckDb ? "$" : "@");
        });
        var engine = builder.Build();

        var discovered = engine.GetDiscoveredScripts();
        // A DuckDB file that does not exist yet has nothing applied; a dry run must not create it.
        if (dryRun && warehouse.Kind == WarehouseKind.DuckDb && !File.Exists(warehouse.DuckDbPath))
            return new MigrationOutcome([.. discovered.Select(s => s.Name)], [], dryRun);
        IReadOnlyDictionary<string, string> applied;
        try
        {
            using (connectionManager!.OperationStarting(upgradeLog, []))
                applied = connectionManager.ExecuteCommandsWithManagedConnection(commands => journal!.AppliedChecksums(commands));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or SnowflakeException)
        {
            throw new MigrationException($"cannot read the migration journal of {warehouse.Describe()}: {FirstLine(e.Message)}", e);
        }

        foreach (var script in discovered)
            if (applied.TryGetValue(script.Name, out var checksum) && checksum != ChecksumTableJournal.Checksum(script.Contents))
                throw new MigrationException(
                    $"migration {script.Name} was edited after it was applied to {warehouse.Describe()}; restore it and add a new script instead");

        var pending = discovered.Where(s => !applied.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        if (dryRun || pending.Count == 0) return new MigrationOutcome(pending, [.. applied.Keys], dryRun);

        DbUp.Engine.DatabaseUpgradeResult result;
        using (DatabaseLock(warehouse)) result = engine.PerformUpgrade();
        if (!result.Successful)
            // No script named: it failed in DbUp's set-up, which creates the schema and the journal before any script.
            throw new MigrationException($"migration {result.ErrorScript?.Name ?? $"set-up (schema {warehouse.Schema} and its journal schema_versions)"} failed: {FirstLine(result.Error?.Message)}; " +
                (warehouse.Kind == WarehouseKind.Snowflake ? "Snowflake commits DDL as it goes, so scripts are written to be re-run" : "nothing was applied"), result.Error);
        return new MigrationOutcome(pending, [.. applied.Keys], dryRun);
    }

    /// <summary>
    /// PostgreSQL: the Snowflake functions go into public, shared by every schema of the database, and two
    /// migrations replacing them at once fail one another ("tuple concurrently updated"). So migrations into one
    /// database take turns on a session advisory lock, held on a connection of its own until the upgrade has
    /// committed. Migrations are quick (tens of milliseconds); loads do not take this lock.
    /// </summary>
    private static IDisposable? DatabaseLock(WarehouseSettings warehouse)
    {
        if (warehouse.Kind != WarehouseKind.Postgres) return null;
        var connection = new Npgsql.NpgsqlConnection(warehouse.PostgresConnectionString);
        try
        {
            connection.Open();
            using (var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(hashtext('gamedata:migrations'))", connection) { CommandTimeout = 0 })
                command.ExecuteNonQuery();
            return new LockRelease(connection);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            connection.Dispose();
            throw new MigrationException(PostgresWarehouse.Explain(e, warehouse), e);
        }
    }

    /// <summary>Unlocks before the connection goes back to the pool, where a session keeps its advisory locks.</summary>
    private sealed class LockRelease(Npgsql.NpgsqlConnection connection) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                command.ExecuteNonQuery();
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException) { /* the session is gone, and its lock with it */ }
            connection.Dispose();
        }
    }

    private static UpgradeEngineBuilder Builder(WarehouseSettings warehouse, SnowflakeWarehouse? snowflake) => warehouse.Kind switch
    {
        WarehouseKind.DuckDb => DeployChanges.To.DuckDbDatabase(DuckDbFile.ConnectionString(warehouse.DuckDbPath), warehouse.Schema),
        WarehouseKind.Snowflake => DeployChanges.To.SnowflakeDatabase(snowflake!.Client, warehouse.Schema),
        _ => DeployChanges.To.PostgresqlDatabase(warehouse.PostgresConnectionString, warehouse.Schema),
    };

    private static string FirstLine(string? text) => (text ?? "unknown error").Split('\n')[0].Trim();

    /// <summary>
    /// DbUp's progress, forwarded as plain one-line messages; anything that looks like a password is masked.
    /// Its errors are not forwarded: they come with stack traces, and the failure is reported once, in one
    /// line, by <see cref="MigrationException"/>.
    /// </summary>
    private sealed class ForwardingLog(Action<string> log) : IUpgradeLog
    {
        private static readonly Regex Secret = new("(password|pwd)=[^;\\s]*", RegexOptions.IgnoreCase);

        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => Write(format, args);
        public void LogWarning(string format, params object[] args) => Write("warning: " + format, args);
        public void LogError(string format, params object[] args) { }
        public void LogError(Exception ex, string format, params object[] args) { }

        private void Write(string format, object[] args) =>
            log(Secret.Replace(FirstLine(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args)), "$1=***"));
    }
}
