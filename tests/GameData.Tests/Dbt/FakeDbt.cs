namespace GameData.Tests.Dbt;

/// <summary>
/// A stand-in <c>dbt</c> executable (dbt itself cannot be installed here: no Python package index). Each call
/// records its arguments, working directory, the names of the environment variables it received, the value of
/// the profile's secret variables (to prove they arrived), and a copy of the profiles file it was pointed at;
/// then it writes <c>run_results.json</c> into its target path (<c>target</c>, <c>DBT_TARGET_PATH</c> or
/// <c>--target-path</c>, as dbt) if given one, records whether the file <c>FAKE_DBT_LOCK</c> names was locked
/// by someone else while it ran, whether the file <c>FAKE_DBT_MARK</c> names existed yet (a test's "from now on"),
/// and exits with the chosen code.
/// </summary>
public sealed class FakeDbt
{
    private readonly string _record;

    public FakeDbt(string path, string record, string name = "fake")
    {
        Path = path;
        _record = record;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(record);
        File.WriteAllText(path, $$"""
            #!/usr/bin/env bash
            n=$(ls "{{record}}" | wc -l)
            call="{{record}}/$n"
            mkdir -p "$call"
            echo "{{name}}" > "$call/name"
            printf '%s\n' "$@" > "$call/args"
            pwd > "$call/cwd"
            env | cut -d= -f1 | sort > "$call/env"
            printf '%s|%s|%s' "${GAMEDATA_DBT_PASSWORD-unset}" "${GAMEDATA_DBT_TOKEN-unset}" "${GAMEDATA_DBT_PRIVATE_KEY_PASSPHRASE-unset}" > "$call/secrets"
            target="${DBT_TARGET_PATH:-target}"
            previous=""
            for argument in "$@"; do
              if [ "$previous" = "--profiles-dir" ]; then cp "$argument/profiles.yml" "$call/profiles.yml"; fi
              if [ "$previous" = "--target-path" ]; then target="$argument"; fi
              case "$argument" in --target-path=*) target="${argument#--target-path=}" ;; esac
              previous="$argument"
            done
            if [ -n "${FAKE_DBT_LOCK:-}" ]; then
              if flock -n "$FAKE_DBT_LOCK" true; then echo free > "$call/lock"; else echo held > "$call/lock"; fi
            fi
            if [ -n "${FAKE_DBT_MARK:-}" ]; then
              if [ -e "$FAKE_DBT_MARK" ]; then echo after > "$call/mark"; else echo before > "$call/mark"; fi
            fi
            echo "stand-in dbt: $1"
            if [ "$1" = "deps" ]; then exit "${FAKE_DBT_DEPS_EXIT:-0}"; fi
            if [ -n "${FAKE_DBT_RESULTS:-}" ]; then mkdir -p "$target"; cp "$FAKE_DBT_RESULTS" "$target/run_results.json"; fi
            exit "${FAKE_DBT_EXIT:-0}"
            """.Replace("\r\n", "\n"));
        if (OperatingSystem.IsWindows()) Assert.Ignore("the stand-in dbt is a bash script");
        else File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    /// <summary>The calls made, in order.</summary>
    public IReadOnlyList<DbtCall> Calls =>
        Directory.GetDirectories(_record).OrderBy(d => int.Parse(System.IO.Path.GetFileName(d))).Select(d => new DbtCall(d)).ToList();
}

/// <summary>One recorded call of the stand-in dbt.</summary>
public sealed class DbtCall(string folder)
{
    public string Name => File.ReadAllText(System.IO.Path.Combine(folder, "name")).Trim();
    public string[] Args => File.ReadAllLines(System.IO.Path.Combine(folder, "args"));
    public string WorkingDirectory => File.ReadAllText(System.IO.Path.Combine(folder, "cwd")).Trim();
    public string[] EnvironmentNames => File.ReadAllLines(System.IO.Path.Combine(folder, "env"));
    public string[] Secrets => File.ReadAllText(System.IO.Path.Combine(folder, "secrets")).Split('|');
    public string? Lock => File.Exists(System.IO.Path.Combine(folder, "lock")) ? File.ReadAllText(System.IO.Path.Combine(folder, "lock")).Trim() : null;
    /// <summary>"after" if <c>FAKE_DBT_MARK</c>'s file existed when dbt ran, "before" if not.</summary>
    public string? Mark => File.Exists(System.IO.Path.Combine(folder, "mark")) ? File.ReadAllText(System.IO.Path.Combine(folder, "mark")).Trim() : null;
    public string? Profiles => File.Exists(System.IO.Path.Combine(folder, "profiles.yml")) ? File.ReadAllText(System.IO.Path.Combine(folder, "profiles.yml")) : null;

    /// <summary>The value after <paramref name="flag"/> in the arguments.</summary>
    public string? Value(string flag) => Args.SkipWhile(a => a != flag).Skip(1).FirstOrDefault();
}
