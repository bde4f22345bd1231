using GameData.Reset;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Chain;

/// <summary>
/// Reset: which targets, the schemas dropped and adopted with them checked against those targets, and the plan a person confirms.
/// </summary>
public static class ResetClass
{
    /// <summary>
    /// The targets a file names (<paramref name="targetsFile"/>), or the schemas named on the warehouse the settings name.
    /// </summary>
    public static IReadOnlyList<ResetTarget> Targets(SettingLayers layers, IReadOnlyList<string> schemas, string? duckDbFolder,
        string? targetsFile)
    {
        if (targetsFile is null) return ResetTargets.FromNames(WarehouseSettings.From(layers), schemas, duckDbFolder);
        if (schemas.Count > 0 || duckDbFolder is not null)
            throw new SettingsException("--targets names every target itself: give it without --schema or --duckdb-dir");
        return ResetTargets.FromFile(targetsFile, layers);
    }

    /// <summary>A schema to drop as well: a plain name, and never one of the RAW schemas being reset.</summary>
    public static string Dropped(string schema, IReadOnlyList<ResetTarget> targets)
    {
        var folded = SqlIdentifier.Schema(schema, targets[0].Warehouse.Provider, $"--drop-schemas '{schema}'");
        if (targets.Any(t => t.Warehouse.Schema.Equals(folded, StringComparison.OrdinalIgnoreCase)))
            throw new SettingsException(
                $"--drop-schemas '{schema}' is a RAW schema being reset; name the dbt output schemas (dev, ci) only");
        return folded;
    }

    /// <summary>Names of targets to adopt: each must be one of the targets.</summary>
    public static List<string> Adopted(IReadOnlyList<string> names, IReadOnlyList<ResetTarget> targets) =>
        [.. names.Select(name => targets.Any(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ? name : throw new SettingsException(
                $"--adopt '{name}' is not one of the targets ({string.Join(", ", targets.Select(t => t.Name))})"))];

    /// <summary>What will happen, target by target: what a person confirms and a dry run shows.</summary>
    public static IEnumerable<string> Plan(IReadOnlyList<ResetTarget> targets, ResetOptions options)
    {
        yield return $"Reset {targets.Count} target(s) to batch 1 ({options.Generation.Players:N0} players, " +
                     $"seed {options.Generation.Seed}, {options.Generation.Start:yyyy-MM-dd}..{options.Generation.End:yyyy-MM-dd}), " +
                     $"{options.Parallel} at a time:";
        foreach (var target in targets) yield return $"  {target.Name,-20} {target.Location}";
        yield return $"In each: replaces the rows of {string.Join(", ", ProjectObjects.Copied)} with batch 1; " +
                     $"where the migrations are not current, drops {string.Join(", ", ProjectObjects.Tables)} " +
                     $"and the functions the migrations made there and migrates from scratch" +
                     (options.DropDependents ? ", dropping what is built on them"
                         : " (refused if anything is built on them, unless --drop-dependents)") +
                     (options.DropSchemas.Count > 0 ? $"; drops the schemas {string.Join(", ", options.DropSchemas)}" : "") +
                     ". Anything else stays. Schemas gamedata never migrated are refused" +
                     (options.Adopt.Count > 0 ? $", except {string.Join(", ", options.Adopt)}." : ".");
    }
}
