using DbUp.Support;

namespace GameData.Warehouses.DuckDb;

/// <summary>DuckDB quotes identifiers with double quotes.</summary>
public sealed class DuckDbObjectParser() : SqlObjectParser("\"", "\"");
