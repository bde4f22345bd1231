using System.Text.RegularExpressions;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;

namespace GameData.Migrations;

/// <param name="Checksum">As the journal records it: of the script's text before <c>$schema$</c> is replaced.</param>
public sealed record MigrationScript(string Name, string Sql, string Checksum);

public sealed record MigrationOutcome(IReadOnlyList<string> Pending, IReadOnlyList<string> AlreadyApplied, bool DryRun);

/// <summary>
/// MigrateRaw: applies <c>migrations/&lt;dialect&gt;/*.sql</c> with DbUp, in one transaction, journaled with
/// checksums in the target schema. An applied script whose text changed stops the run before anything runs.
/// </summary>
public static class MigrationRunner
{
    public static MigrationOutcome Run(IMigratedSchema warehouse, string migrationsRoot, bool dryRun, Action<string> log)
    {
        var folder = Folder(warehouse, migrationsRoot);
        var upgradeLog = new ForwardingLog(log);
        using var target = warehouse.Migrations();
        var (engine, connectionManager, journal) = Engine(target, warehouse, folder, upgradeLog);

        var discovered = engine.GetDiscoveredScripts();
        // A target that cannot have been migrated (a DuckDB file not made yet) has nothing applied; a dry run must not create it.
        if (dryRun && !warehouse.MayBeMigrated)
            return new MigrationOutcome([.. discovered.Select(s => s.Name)], [], dryRun);
        IReadOnlyDictionary<string, string> applied;
        try
        {
            using (connectionManager.OperationStarting(upgradeLog, []))
                applied = connectionManager.ExecuteCommandsWithManagedConnection(commands => journal.AppliedChecksums(commands));
        }
        catch (Exception e) when (target.IsWarehouseError(e))
        {
            throw new MigrationException($"cannot read the migration journal of {warehouse.Describe()}: {FirstLine(e.Message)}", e);
        }

        foreach (var script in discovered)
            if (applied.TryGetValue(script.Name, out var checksum) && checksum != ChecksumTableJournal.Checksum(script.Contents))
                throw new MigrationException(
                    $"migration {script.Name} was edited after it was applied to {warehouse.Describe()}; " +
                    "restore it and add a new script instead");

        var pending = discovered.Where(s => !applied.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        if (dryRun || pending.Count == 0) return new MigrationOutcome(pending, [.. applied.Keys], dryRun);

        DbUp.Engine.DatabaseUpgradeResult result;
        using (target.UpgradeLock()) result = engine.PerformUpgrade();
        if (!result.Successful)
            // No script named: it failed in DbUp's set-up, which creates the schema and the journal before any script.
            throw new MigrationException(
                $"migration {result.ErrorScript?.Name ?? $"set-up (schema {warehouse.Schema} and its journal schema_versions)"} " +
                $"failed: {FirstLine(result.Error?.Message)}; " + target.AfterFailure, result.Error);
        return new MigrationOutcome(pending, [.. applied.Keys], dryRun);
    }

    /// <summary>
    /// The scripts DbUp finds for the warehouse, in its order, <c>$schema$</c> replaced, with the checksums its journal records.
    /// </summary>
    public static IReadOnlyList<MigrationScript> Scripts(IMigratedSchema warehouse, string migrationsRoot)
    {
        var folder = Folder(warehouse, migrationsRoot);
        using var target = warehouse.Migrations();
        return [.. Engine(target, warehouse, folder, new ForwardingLog(_ => { })).Engine.GetDiscoveredScripts()
            .Select(s => new MigrationScript(s.Name, s.Contents.Replace("$schema$", warehouse.Schema),
                ChecksumTableJournal.Checksum(s.Contents)))];
    }

    /// <summary>
    /// Migrates from scratch as MigrateRaw does (the same DbUp engine, executor and checksum journal), on a connection
    /// the caller holds inside its own transaction: a reset, whose drops, migrations and rows commit together.
    /// </summary>
    public static void Apply(IMigratedSchema warehouse, string migrationsRoot, System.Data.IDbConnection connection)
    {
        var folder = Folder(warehouse, migrationsRoot);
        using var target = warehouse.Migrations();
        target.Builder.Configure(c => c.ConnectionManager = new BorrowedConnection(connection, c.ConnectionManager));
        var result = Engine(target, warehouse, folder, new ForwardingLog(_ => { })).Engine.PerformUpgrade();
        if (!result.Successful)
            throw new MigrationException($"migration {result.ErrorScript?.Name ?? "set-up"} failed: {FirstLine(result.Error?.Message)}",
                result.Error);
    }

    /// <summary><c>migrations/&lt;warehouse&gt;</c>: a warehouse's scripts are named after it.</summary>
    private static string Folder(IMigratedSchema warehouse, string migrationsRoot)
    {
        var folder = Path.Combine(migrationsRoot, warehouse.Dialect);
        return Directory.Exists(folder) ? folder : throw new MigrationException($"no migrations folder at {folder}");
    }

    private static (UpgradeEngine Engine, IConnectionManager ConnectionManager, ChecksumTableJournal Journal) Engine(
        MigrationTarget target, IMigratedSchema warehouse, string folder, IUpgradeLog log)
    {
        IConnectionManager? connectionManager = null;
        ChecksumTableJournal? journal = null;
        var builder = target.Builder
            .WithScriptsFromFileSystem(folder)
            .WithVariable("schema", warehouse.Schema)
            .LogTo(log);
        builder.Configure(c => (connectionManager, journal) = (c.ConnectionManager, (ChecksumTableJournal)c.Journal));
        var engine = builder.Build();
        return (engine, connectionManager!, journal!);
    }

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
            log(Secret.Replace(FirstLine(args.Length == 0 ? format
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args)), "$1=***"));
    }
}
