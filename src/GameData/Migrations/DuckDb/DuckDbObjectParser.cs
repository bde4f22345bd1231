using DbUp.Support;

namespace GameData.Migrations.DuckDb;

/// <summary>DuckDB quotes identifiers with double quotes.</summary>
public sealed class DuckDbObjectParser() : SqlObjectParser("\"", "\"");
