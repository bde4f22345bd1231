using DuckDB.NET.Data;
using GameData.Tests.Loading;
using GameData.Tests.Warehouses.SecondDuckDb;
using GameData.Warehouses;

namespace GameData.Tests.Warehouses;

/// <summary>
/// A warehouse the library does not know, plugged in through the registry, goes through the CLI's real code paths.
/// Alone: while it is registered, the CLI's "known warehouses" include it.
/// </summary>
[NonParallelizable]
public sealed class FourthWarehouseTests
{
    [Test]
    public void A_registered_fourth_warehouse_is_migrated_loaded_appended_to_and_reset_by_the_cli()
    {
        using var registered = WarehouseRegistry.Register(SecondDuckDbProvider.Instance);
        using var folder = new TempFolder();
        // Its migrations folder, named after it: DuckDB's scripts serve it.
        var migrations = folder.File("migrations");
        Directory.CreateDirectory(Path.Combine(migrations, "duckdb2"));
        foreach (var script in Directory.GetFiles(Path.Combine(WarehouseTarget.MigrationsFolder, "duckdb"), "*.sql"))
            File.Copy(script, Path.Combine(migrations, "duckdb2", Path.GetFileName(script)));
        var file = folder.File("fourth.duckdb");
        File.WriteAllText(folder.File("none.env"), "");
        string[] target = ["--warehouse", "duckdb2", "--duckdb", file, "--schema", "raw", "--env-file", folder.File("none.env")];

        Assert.That(Cli(["migrate", .. target, "--migrations", migrations]), Is.Zero);
        Assert.That(Journal(file), Is.EqualTo(Directory.GetFiles(Path.Combine(migrations, "duckdb2")).Select(Path.GetFileName).Order()));

        Assert.That(Cli(["load", .. target, "--data", TestDatasets.Small]), Is.Zero);
        Assert.That(Batches(file), Is.EqualTo(new[] { (1L, 200L) }));

        Assert.That(Cli(["load", .. target, "--data", TestDatasets.Batch2, "--mode", "append"]), Is.Zero);
        Assert.That(Batches(file), Is.EqualTo(new[] { (1L, 200L), (2L, 300L) }));

        Assert.That(Cli(["reset", .. target, "--migrations", migrations, "--players", "50", "--yes"]), Is.Zero);
        Assert.That(Batches(file), Is.EqualTo(new[] { (1L, 50L) }));
    }

    /// <summary>The CLI, run in this process, where the fourth warehouse is registered.</summary>
    private static int Cli(string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        return result.ExitCode;
    }

    private static IEnumerable<string> Journal(string file) => Query(file, "SELECT script_name FROM raw.schema_versions ORDER BY 1").Select(r => (string)r[0]);

    private static IEnumerable<(long Batch, long Players)> Batches(string file) =>
        Query(file, "SELECT _batch_id::BIGINT, count(*) FROM raw.raw_players GROUP BY 1 ORDER BY 1").Select(r => (Convert.ToInt64(r[0]), Convert.ToInt64(r[1])));

    private static List<object[]> Query(string file, string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray());
        return rows;
    }
}
