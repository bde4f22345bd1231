using Npgsql;

namespace GameData.Tests.Loading;

/// <summary>A role the server refuses is told so, not sent to migrate tables that exist.</summary>
[Parallelizable(ParallelScope.All)]
public class PostgresPermissionTests
{
    [Test]
    public void A_role_without_usage_on_the_schema_is_told_permission_denied()
    {
        PostgresTestServer.Require();
        using var target = new PostgresTarget();
        target.Migrate();
        var other = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Username = "gamedata_other", Password = "gamedata_other" };

        var result = CliRunner.Run(["load", "--data", TestDatasets.Small, "--mode", "recreate", "--warehouse", "postgres",
            "--schema", target.Settings.Schema], new Dictionary<string, string?> { ["GAME_POSTGRES"] = other.ConnectionString });

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain($"permission denied for schema {target.Settings.Schema}").And.Not.Contain("MigrateRaw"));
        Assert.That(result.StdErr, Does.Not.Contain("gamedata_other;"), "no connection string printed");
    }
}
