using GameData.Dbt;
using GameData.Settings;
using GameData.Warehouses;
using GameData.Warehouses.Postgres;
using GameData.Warehouses.Snowflake;
using YamlDotNet.RepresentationModel;

namespace GameData.Tests.Dbt;

/// <summary>
/// The generated <c>profiles.yml</c> read back as dbt reads it (PyYAML, YAML 1.1): every name a string whatever
/// it spells, and a Snowflake programmatic access token in the shape the installed dbt-snowflake accepts.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class DbtProfileTests
{
    private static readonly string[] Tricky = ["true", "yes", "no", "on", "null", "~", "0123", "1e3"];

    [TestCaseSource(nameof(Tricky))]
    public void Names_YAML_1_1_would_read_as_booleans_numbers_or_null_stay_strings(string name)
    {
        var warehouses = new[]
        {
            Warehouse(new() { ["GAME_WAREHOUSE"] = "duckdb", ["GAME_DUCKDB_PATH"] = $"/tmp/{name}" }),
            Warehouse(new() { ["GAME_WAREHOUSE"] = "postgres", ["GAME_POSTGRES"] = $"Host={name};Username={name};Password=p;Database={name}" }),
            Warehouse(new()
            {
                ["GAME_WAREHOUSE"] = "snowflake", ["SNOWFLAKE_ACCOUNT"] = "myorg-myaccount", ["SNOWFLAKE_USER"] = name, ["SNOWFLAKE_ROLE"] = name,
                ["SNOWFLAKE_WAREHOUSE"] = name, ["SNOWFLAKE_DATABASE"] = name, ["SNOWFLAKE_TOKEN"] = "t",
            }),
        };
        foreach (var warehouse in warehouses)
        {
            var yaml = DbtProfile.For(name, warehouse, "no").Yaml;

            Assert.That(Yaml11.NonStrings(yaml).Keys, Has.All.EndsWith("/port").Or.EndsWith("/threads"), yaml);
            var dev = Output(yaml, name, "dev");
            Assert.That(dev["schema"], Is.EqualTo("no"));
            if (warehouse.Provider.Name == "postgres") Assert.That((dev["host"], dev["user"], dev["dbname"]), Is.EqualTo((name, name, name)));
            if (warehouse.Provider.Name == "snowflake") Assert.That((dev["user"], dev["role"], dev["warehouse"], dev["database"]), Is.EqualTo((name, name, name, name)));
        }
    }

    [TestCase(null, TestName = "A programmatic access token is the password when the installed dbt-snowflake is not known")]
    [TestCase("1.11.3", TestName = "A programmatic access token is the password for dbt-snowflake 1.11")]
    public void A_programmatic_access_token_is_written_as_the_password_before_dbt_snowflake_1_12(string? adapter)
    {
        var profile = DbtProfile.For("game_analytics", Snowflake("SNOWFLAKE_TOKEN"), "dev", adapter is null ? null : Version.Parse(adapter));

        var dev = Output(profile.Yaml, "game_analytics", "dev");
        Assert.That(dev["password"], Is.EqualTo("{{ env_var('GAMEDATA_DBT_PASSWORD') }}"));
        Assert.That(dev.Keys, Does.Not.Contain("authenticator").And.Not.Contain("token"));
        Assert.That(profile.Environment[DbtOutputs.PasswordVariable], Is.EqualTo("pat-secret"));
        Assert.That(profile.Yaml, Does.Not.Contain("pat-secret"));
    }

    [TestCase("1.12.0")]
    [TestCase("2.0.1")]
    public void A_programmatic_access_token_uses_its_authenticator_from_dbt_snowflake_1_12(string adapter)
    {
        var profile = DbtProfile.For("game_analytics", Snowflake("SNOWFLAKE_TOKEN"), "dev", Version.Parse(adapter));

        var dev = Output(profile.Yaml, "game_analytics", "dev");
        Assert.That((dev["authenticator"], dev["token"]), Is.EqualTo(("programmatic_access_token", "{{ env_var('GAMEDATA_DBT_TOKEN') }}")));
        Assert.That(dev.Keys, Does.Not.Contain("password"));
        Assert.That(profile.Environment[DbtOutputs.TokenVariable], Is.EqualTo("pat-secret"));
    }

    [TestCase(null)]
    [TestCase("1.9.0")]
    public void An_OAuth_token_is_the_oauth_authenticator_on_every_version(string? adapter)
    {
        var dev = Output(DbtProfile.For("game_analytics", Snowflake("SNOWFLAKE_OAUTH_TOKEN"), "dev", adapter is null ? null : Version.Parse(adapter)).Yaml,
            "game_analytics", "dev");
        Assert.That((dev["authenticator"], dev["token"]), Is.EqualTo(("oauth", "{{ env_var('GAMEDATA_DBT_TOKEN') }}")));
    }

    [Test]
    public void The_installed_dbt_snowflake_is_read_from_the_environment_dbt_runs_in()
    {
        using var folder = new TempFolder();
        var dbt = folder.File("venv/bin/dbt");
        Directory.CreateDirectory(Path.GetDirectoryName(dbt)!);
        File.WriteAllText(dbt, "");
        Assert.That(DbtExecutable.AdapterVersion(dbt, SnowflakeProvider.Instance), Is.Null, "nothing installed that says");

        Directory.CreateDirectory(folder.File("venv/lib/python3.12/site-packages/dbt_snowflake-1.12.1.dist-info"));
        Directory.CreateDirectory(folder.File("venv/lib/python3.12/site-packages/dbt_core-1.10.2.dist-info"));
        Assert.That(DbtExecutable.AdapterVersion(dbt, SnowflakeProvider.Instance), Is.EqualTo(new Version(1, 12, 1)));
        Assert.That(DbtExecutable.AdapterVersion(dbt, PostgresProvider.Instance), Is.Null);
    }

    private static WarehouseSettings Warehouse(Dictionary<string, string?> values) => WarehouseSettings.From(new SettingLayers().Add("test", values));

    private static WarehouseSettings Snowflake(string credential) => Warehouse(new()
    {
        ["GAME_WAREHOUSE"] = "snowflake", ["SNOWFLAKE_ACCOUNT"] = "myorg-myaccount", ["SNOWFLAKE_USER"] = "course_loader", [credential] = "pat-secret",
    });

    private static Dictionary<string, string> Output(string yaml, string profile, string target)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var outputs = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)[profile])["outputs"];
        return ((YamlMappingNode)outputs[target]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);
    }
}
