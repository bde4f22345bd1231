using FakeSnowflake;

namespace GameData.Tests.Snowflake;

/// <summary>The Snowflake stand-in refuses what Snowflake refuses where the product relies on it, and no more lenient where it can help it.</summary>
[Parallelizable(ParallelScope.All)]
public class FakeWarehouseTests
{
    private static FakeWarehouse Warehouse()
    {
        var warehouse = new FakeWarehouse();
        Ok(warehouse, "CREATE SCHEMA RAW; CREATE TABLE RAW.T (ID VARCHAR NOT NULL PRIMARY KEY, DOC VARIANT, SEEN TIMESTAMP_TZ)", multi: true);
        return warehouse;
    }

    private static StatementOutcome Ok(FakeWarehouse warehouse, string sql, bool multi = false, params string?[] bindings)
    {
        var outcome = warehouse.Execute(sql, bindings, multi);
        Assert.That(outcome.Error, Is.Null, () => outcome.Error!.Message);
        return outcome;
    }

    private static string Fails(FakeWarehouse warehouse, string sql, bool multi = false, params string?[] bindings) =>
        warehouse.Execute(sql, bindings, multi).Error?.Message ?? throw new AssertionException($"accepted: {sql}");

    [Test]
    public void Division_by_zero_stops_the_statement_as_the_lock_check_needs()
    {
        using var warehouse = Warehouse();
        Assert.That(Fails(warehouse, "SELECT 1 / (SELECT count(*) FROM RAW.T WHERE ID = 'x')"), Is.EqualTo("Division by zero"));
        Ok(warehouse, "INSERT INTO RAW.T (ID) SELECT column1 FROM VALUES ('x')");
        Assert.That(Ok(warehouse, "SELECT 6 / (SELECT count(*) FROM RAW.T WHERE ID = 'x') / 2").Rows[0][0], Is.EqualTo("3"));
    }

    [Test]
    public void Json_is_parsed_strictly_by_PARSE_JSON_leniently_by_TRY_PARSE_JSON_and_not_at_all_in_VALUES()
    {
        using var warehouse = Warehouse();
        Assert.That(Fails(warehouse, "INSERT INTO RAW.T (ID, DOC) SELECT column1, PARSE_JSON(column2) FROM VALUES ('a', '{x')"), Does.StartWith("Error parsing JSON"));
        Ok(warehouse, "INSERT INTO RAW.T (ID, DOC) SELECT column1, COALESCE(TRY_PARSE_JSON(column2), TO_VARIANT(column2)) FROM VALUES ('a', '{x'), ('b', '{\"k\": 1}')");
        Assert.That(warehouse.Table("T")!.Select(r => r[1]), Is.EqualTo(new[] { "\"{x\"", "{\"k\":1}" }));
        Assert.That(Fails(warehouse, "INSERT INTO RAW.T (ID, DOC) VALUES ('c', PARSE_JSON('{}'))"), Does.Contain("Invalid expression [PARSE_JSON"));
    }

    [Test]
    public void Statement_counts_and_bindings_are_checked_as_the_SQL_API_does()
    {
        using var warehouse = Warehouse();
        Assert.That(Fails(warehouse, "SELECT 1; SELECT 2"), Is.EqualTo("Actual statement count 2 did not match the desired statement count 1."));
        Assert.That(Fails(warehouse, "SELECT ?; SELECT 2", true, "a"), Does.Contain("multi-statement"));
        Assert.That(Fails(warehouse, "SELECT ?, ?", false, "a"), Does.Contain("bind variable"));
        Assert.That(Ok(warehouse, "SELECT ?, 'it''s \\\\ \\n'", false, "a").Rows[0], Is.EqualTo(new[] { "a", "it's \\ \n" }));
    }

    [Test]
    public void Names_fold_to_upper_case_unless_quoted_and_keys_are_not_enforced_but_NOT_NULL_is()
    {
        using var warehouse = Warehouse();
        Ok(warehouse, "create table raw.lower_case (a varchar); create table raw.\"quoted\" (a varchar)", multi: true);
        Assert.That(warehouse.TableNames(), Is.EquivalentTo(new[] { "T", "LOWER_CASE", "quoted" }));
        Ok(warehouse, "INSERT INTO RAW.T (ID) VALUES ('same'), ('same')");
        Assert.That(Fails(warehouse, "INSERT INTO RAW.T (ID) VALUES (NULL)"), Does.StartWith("NULL result in a non-nullable column"));
        Assert.That(warehouse.Table("T"), Has.Count.EqualTo(2));
    }

    [Test]
    public void A_transaction_left_open_is_rolled_back_and_statements_before_a_failure_stay_done()
    {
        using var warehouse = Warehouse();
        Ok(warehouse, "BEGIN TRANSACTION; INSERT INTO RAW.T (ID) VALUES ('rolled back')", multi: true);
        Fails(warehouse, "INSERT INTO RAW.T (ID) VALUES ('kept'); SELECT * FROM RAW.NOPE", multi: true);
        Assert.That(warehouse.Table("T")!.Select(r => r[0]), Is.EqualTo(new[] { "kept" }));
    }

    [Test]
    public void Clone_and_swap_copy_schemas_and_tables_with_their_rows()
    {
        using var warehouse = Warehouse();
        Ok(warehouse, "INSERT INTO RAW.T (ID) VALUES ('one')");
        Ok(warehouse, "CREATE SCHEMA COPY CLONE RAW");
        Ok(warehouse, "INSERT INTO COPY.T (ID) VALUES ('two')");
        Assert.That(Fails(warehouse, "CREATE SCHEMA COPY CLONE RAW"), Does.Contain("already exists"));
        Assert.That(Fails(warehouse, "CREATE SCHEMA OTHER CLONE NOPE"), Does.Contain("does not exist"));
        Ok(warehouse, "ALTER SCHEMA RAW SWAP WITH COPY");
        Assert.That((warehouse.Table("RAW.T")!.Count, warehouse.Table("COPY.T")!.Count), Is.EqualTo((2, 1)));
        Ok(warehouse, "CREATE OR REPLACE TABLE COPY.T CLONE RAW.T");
        Assert.That(warehouse.Table("COPY.T"), Has.Count.EqualTo(2));
        Assert.That(Fails(warehouse, "INSERT INTO COPY.T (ID) VALUES (NULL)"), Does.StartWith("NULL result"), "the clone keeps NOT NULL");
    }
}
