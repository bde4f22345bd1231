namespace GameData.Migrations;

/// <summary>What a migration needs to know of a warehouse target; the warehouse layer above provides it.</summary>
public interface IMigratedSchema
{
    /// <summary>The schema the scripts create (<c>$schema$</c> in them), as the warehouse stores its name.</summary>
    string Schema { get; }

    /// <summary>The folder of its scripts under migrations/: the warehouse's name.</summary>
    string Dialect { get; }

    /// <summary>False when the target certainly holds no RAW schema: a dry run then opens and creates nothing.</summary>
    bool MayBeMigrated { get; }

    /// <summary>The target in one line, without secrets.</summary>
    string Describe();

    /// <summary>DbUp wired for the target, holding its client until disposed.</summary>
    MigrationTarget Migrations();
}
