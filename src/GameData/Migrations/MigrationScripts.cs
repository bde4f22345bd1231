using System.Text.RegularExpressions;
using GameData.Warehouses;

namespace GameData.Migrations;

/// <summary>
/// A warehouse's migration scripts read as DbUp reads them (<c>migrations/&lt;warehouse&gt;/*.sql</c> in name order,
/// <c>$schema$</c> replaced), for running them inside a transaction of one's own, as a reset does.
/// </summary>
public static class MigrationScripts
{
    /// <param name="Checksum">As the journal records it: of the script's text before <c>$schema$</c> is replaced.</param>
    public sealed record Script(string Name, string Sql, string Checksum);

    public static IReadOnlyList<Script> For(WarehouseKind warehouse, string migrationsRoot, string schema)
    {
        var folder = Path.Combine(migrationsRoot, warehouse.ToString().ToLowerInvariant());
        if (!Directory.Exists(folder)) throw new MigrationException($"no migrations folder at {folder}");
        return Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal).Select(path =>
        {
            var text = File.ReadAllText(path);
            return new Script(Path.GetFileName(path), text.Replace("$schema$", schema), ChecksumTableJournal.Checksum(text));
        }).ToList();
    }

    /// <summary>DuckDB runs one statement per command: statements end with a semicolon at the end of a line.</summary>
    public static IEnumerable<string> DuckDbStatements(string script) =>
        Regex.Split(script, @";\s*$", RegexOptions.Multiline)
            .Select(statement => statement.Trim())
            .Where(statement => statement.Split('\n').Any(line => line.Trim().Length > 0 && !line.Trim().StartsWith("--", StringComparison.Ordinal)));
}
