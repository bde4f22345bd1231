using GameData.Settings;
using GameData.Warehouses;
using GameData.Warehouses.DuckDb;

namespace GameData.Tests.Loading;

/// <summary><c>--duckdb-threads</c> (<c>GAME_DUCKDB_THREADS</c>): how many worker threads gamedata's DuckDB may use.</summary>
[Parallelizable(ParallelScope.All)]
public class DuckDbThreadsTests
{
    [Test]
    public void The_setting_reaches_the_DuckDB_connection_and_unset_leaves_DuckDBs_default()
    {
        using var folder = new TempFolder();
        var path = folder.File("w.duckdb");
        var given = WarehouseSettings.From(new SettingLayers().Add("flags", [new("GAME_DUCKDB_PATH", path), new("GAME_DUCKDB_THREADS", "3")]));
        var unset = WarehouseSettings.From(new SettingLayers().Add("flags", [new("GAME_DUCKDB_PATH", path)]));

        Assert.That(given.DuckDbThreads, Is.EqualTo(3));
        Assert.That(unset.DuckDbThreads, Is.Null);
        Assert.That(Threads(path, given.DuckDbThreads), Is.EqualTo("3"));
        Assert.That(Threads(path, unset.DuckDbThreads), Is.EqualTo(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "DuckDB's default: one per core");
    }

    [TestCase("--duckdb-threads", "0", "--duckdb-threads '0' is not a whole number greater than 0")]
    [TestCase("GAME_DUCKDB_THREADS", "many", "GAME_DUCKDB_THREADS='many' (from environment) is not a whole number greater than 0")]
    public void A_count_that_is_not_a_whole_number_above_0_is_refused_with_exit_2_before_anything_is_written(string where, string value,
        string message)
    {
        using var folder = new TempFolder();
        var path = folder.File("w.duckdb");
        string[] args = ["migrate", "--warehouse", "duckdb", "--duckdb", path];

        var result = where.StartsWith("--", StringComparison.Ordinal)
            ? CliRunner.Run([.. args, where, value])
            : CliRunner.Run(args, new Dictionary<string, string?> { [where] = value });

        Assert.That(result.ExitCode, Is.EqualTo(2), result.StdErr);
        Assert.That(result.StdErr.Trim(), Is.EqualTo($"error: {message}"));
        Assert.That(File.Exists(path), Is.False, "nothing migrated");
    }

    private static string Threads(string path, int? threads)
    {
        using var connection = DuckDbFile.Connect(path, threads);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_setting('threads')";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
