using GameData.Generation;
using GameData.Reporting;
using GameData.Validation;

namespace GameData.Tests.Generation;

/// <summary>The game's vocabulary is written once, in <see cref="GameCatalog"/>; the validator and the report take it from there.</summary>
public class GameCatalogTests
{
    private static readonly string[] Values =
    [
        .. GameCatalog.Difficulties, .. GameCatalog.Platforms,
        .. GameCatalog.Countries.Select(c => c.Country), .. GameCatalog.Countries.Select(c => c.Language),
    ];

    [Test]
    public void The_report_s_queries_name_no_value_of_their_own()
    {
        var sql = string.Concat(ReportQueries.Load().Select(q => q.Sql));
        Assert.That(Values.Where(v => sql.Contains($"'{v}'", StringComparison.Ordinal)), Is.Empty);
        Assert.That(ReportQueries.Sql("[{platforms}] [{difficulties}]", "data"),
            Is.EqualTo("['ps3', 'xbox360', 'pc'] ['easy', 'normal', 'hard', 'grounded']"));
    }

    [Test]
    public void The_validator_s_rules_name_the_catalog_s_values()
    {
        Assert.That(Rules.UnknownPlatform.Description, Is.EqualTo("platform is not ps3, xbox360 or pc"));
        Assert.That(Rules.UnknownDifficulty.Description, Is.EqualTo("difficulty_selected is not easy, normal, hard or grounded"));
    }
}
