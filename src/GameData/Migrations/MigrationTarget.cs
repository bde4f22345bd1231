using DbUp.Builder;

namespace GameData.Migrations;

/// <summary>A warehouse's DbUp engine, and what it holds open (a client) until disposed.</summary>
/// <param name="AfterFailure">What a failed script left, for the user (all scripts in one transaction: nothing).</param>
public sealed record MigrationTarget(
    UpgradeEngineBuilder Builder, string AfterFailure = "nothing was applied", IDisposable? Resources = null) : IDisposable
{
    /// <summary>Held while the scripts run (PostgreSQL: migrations into one database take turns).</summary>
    public Func<IDisposable?> UpgradeLock { get; init; } = () => null;

    /// <summary>The warehouse's own errors besides ADO.NET's, for saying "cannot read the journal" in one line.</summary>
    public Func<Exception, bool> IsWarehouseError { get; init; } = e => e is System.Data.Common.DbException;

    public void Dispose() => Resources?.Dispose();
}
