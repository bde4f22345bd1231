using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses.DuckDb;

namespace GameData.Tests.Loading;

/// <summary>A DuckDB path is a path: no connection-string syntax in it, and one lock per real file however it is spelled.</summary>
[Parallelizable(ParallelScope.All)]
public class DuckDbPathTests
{
    [Test]
    public void A_semicolon_in_the_file_name_is_part_of_the_name()
    {
        using var folder = new TempFolder();
        var path = folder.File("real.duckdb;threads=1");

        var result = CliRunner.Run(["migrate", "--warehouse", "duckdb", "--duckdb", path]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(File.Exists(path), Is.True, "the file named as given");
        Assert.That(File.Exists(folder.File("real.duckdb")), Is.False, "not the part before the semicolon");
    }

    [Test]
    public void A_semicolon_in_a_folder_name_is_part_of_the_path()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "semi;colon", "w.duckdb");

        var migrated = CliRunner.Run(["migrate", "--warehouse", "duckdb", "--duckdb", path]);
        var loaded = CliRunner.Run(["load", "--data", TestDatasets.Small, "--warehouse", "duckdb", "--duckdb", path]);

        Assert.That(migrated.ExitCode, Is.Zero, migrated.StdErr);
        Assert.That(loaded.ExitCode, Is.Zero, loaded.StdErr);
        Assert.That(new DuckDbTarget(path).Counts(), Is.EqualTo((200L, 622L, 23206L)));
    }

    [Test]
    public void Run_from_outside_the_repository_the_CLI_finds_its_own_migrations()
    {
        using var elsewhere = new TempFolder();
        Assert.That(RepositoryFolders.Root(elsewhere.Path), Is.EqualTo(elsewhere.Path), "not inside the repository");

        var result = CliRunner.Run(["migrate", "--warehouse", "duckdb", "--duckdb", "w.duckdb"], workingDirectory: elsewhere.Path);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("0001_raw_tables.sql"));
    }

    [Test]
    public void The_migrations_option_still_overrides_the_CLIs_own()
    {
        using var elsewhere = new TempFolder();
        var result = CliRunner.Run(["migrate", "--warehouse", "duckdb", "--duckdb", "w.duckdb", "--migrations", elsewhere.File("none")], workingDirectory: elsewhere.Path);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StdErr, Does.Contain($"no migrations folder at {elsewhere.File("none")}"));
    }

    [Test]
    public void A_link_to_the_file_shares_its_lock()
    {
        using var folder = new TempFolder();
        var real = new DuckDbTarget(folder.File("w.duckdb"));
        real.Migrate();
        File.CreateSymbolicLink(folder.File("alias.duckdb"), real.Settings.DuckDbPath);

        using var held = DuckDbFile.Lock(real.Settings.DuckDbPath, _ => { }, TimeSpan.Zero);

        Assert.That(() => DuckDbFile.Lock(folder.File("alias.duckdb"), _ => { }, TimeSpan.Zero),
            Throws.TypeOf<WarehouseException>().With.Message.Contains("another gamedata process"));
    }
}
