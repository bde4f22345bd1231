using GameData.Generation;
using GameData.Loading;
using GameData.Migrations;

namespace GameData.Warehouses;

/// <summary>What a reset does besides reloading batch 1.</summary>
/// <param name="DropSchemas">Also dropped in every target's database (a student's dbt output), only when asked.</param>
/// <param name="Adopt">Targets reset although the project never migrated them.</param>
/// <param name="DropDependents">Drop what is built on the RAW tables (views, functions) when they must be made again; else refuse.</param>
public sealed record ResetOptions(
    GenerationSettings Generation, string MigrationsRoot, IReadOnlyList<string> DropSchemas, int Parallel, TimeSpan LockTimeout,
    IReadOnlyList<string> Adopt, bool DropDependents);

/// <summary>What resetting one target did.</summary>
public sealed record TargetReset(long Rows, string LoadId, IReadOnlyList<string> Kept, IReadOnlyList<string> Dropped);

/// <summary>What the project owns in a RAW schema: dropped and made afresh by a reset. Anything else is left alone.</summary>
public static class ProjectObjects
{
    public static readonly string[] Tables = [.. RawSchema.Tables.Select(t => t.Name), RawSchema.Ledger, ChecksumTableJournal.TableName];

    /// <summary>Tables the data is copied into from the seed, parents first; the journal is written anew.</summary>
    public static readonly string[] Copied = [.. RawSchema.Tables.Select(t => t.Name), RawSchema.Ledger];

    public static bool Owns(string table) => Tables.Contains(table, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The seed step every strategy shares.</summary>
public static class ResetSeed
{
    /// <summary>A strategy's scratch folder (a DuckDB seed file) is named so; one a killed reset left is removed by the next.</summary>
    public const string FolderPrefix = "gamedata-seed-";

    /// <summary>
    /// Migrates the seed from scratch and loads the batch into it with recreate, the usual way: the rows and load every
    /// target gets.
    /// </summary>
    public static (long Rows, string LoadId) Load(
        WarehouseSettings seed, ResetOptions options, string dataDirectory, Action<string> waiting)
    {
        MigrationRunner.Run(seed, options.MigrationsRoot, dryRun: false, _ => { });
        using var opened = Warehouse.Open(seed, waiting, options.LockTimeout);
        var plan = DatasetLoader.Plan(opened, dataDirectory, LoadMode.Recreate, null);
        var counts = DatasetLoader.Run(opened, plan, new Progress<string>(), CancellationToken.None);
        return (counts.Inserted, plan.LoadId);
    }
}
