using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Dbt;

/// <summary>
/// Which dbt to run: the one named (<c>--dbt-exe</c>, <c>DBT_EXE</c>), else the project's own virtual
/// environment (<c>venv/</c> or <c>.venv/</c>, as the course sets it up), else the first on PATH.
/// </summary>
public static class DbtExecutable
{
    public static string Find(string? named, DbtProject project, IWarehouseProvider warehouse, string? path = null)
    {
        if (named is not null)
            return File.Exists(named) ? Path.GetFullPath(named)
                : throw new SettingsException($"the dbt executable {named} (--dbt-exe or DBT_EXE) does not exist");
        var candidates = new[] { "venv", ".venv" }
            .Select(venv => OperatingSystem.IsWindows() ? Path.Combine(project.Directory, venv, "Scripts", "dbt.exe")
                : Path.Combine(project.Directory, venv, "bin", "dbt"))
            .Concat((path ?? Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? "dbt.exe" : "dbt")));
        return candidates.FirstOrDefault(File.Exists) ?? throw new SettingsException(
            $"dbt was not found in {project.Directory}/venv, {project.Directory}/.venv or on PATH; install it into the project's " +
            $"virtual environment: cd {project.Directory} && python -m venv venv && " +
            $"{(OperatingSystem.IsWindows() ? @"venv\Scripts\pip" : "venv/bin/pip")} install dbt-core {warehouse.DbtInstall} " +
            $"(or name it with --dbt-exe)");
    }

    /// <summary>
    /// The version of the warehouse's adapter installed beside <paramref name="dbt"/> (its <c>.dist-info</c> folder in
    /// the environment's site-packages: <c>bin/dbt</c> and <c>lib/python3.x/site-packages</c>, or <c>Scripts\dbt.exe</c>
    /// and <c>Lib\site-packages</c>), or null when that cannot be told.
    /// </summary>
    public static Version? AdapterVersion(string dbt, IWarehouseProvider warehouse)
    {
        var target = new FileInfo(dbt).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dbt;
        var environment = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(target)));
        if (environment is null) return null;
        var prefix = warehouse.DbtAdapter.Replace('-', '_') + "-";
        var sitePackages = new[] { Path.Combine(environment, "Lib", "site-packages") }
            .Concat(Directory.Exists(Path.Combine(environment, "lib"))
                ? Directory.GetDirectories(Path.Combine(environment, "lib"), "python3*").Select(p => Path.Combine(p, "site-packages"))
                : []);
        return sitePackages.Where(Directory.Exists)
            .SelectMany(folder => Directory.GetDirectories(folder, prefix + "*.dist-info"))
            .Select(folder =>
                Version.TryParse(Path.GetFileName(folder)[prefix.Length..^".dist-info".Length], out var version) ? version : null)
            .Max();
    }
}
