namespace GameData.Warehouses;

/// <summary>
/// What a provider's output in profiles.yml may use: the environment variables its secrets are given to dbt in
/// (referenced by <see cref="EnvVar"/>, never written into the file) and the threads every target gets.
/// </summary>
public static class DbtOutputs
{
    public const string PasswordVariable = "GAMEDATA_DBT_PASSWORD";
    public const string PassphraseVariable = "GAMEDATA_DBT_PRIVATE_KEY_PASSPHRASE";
    public const string TokenVariable = "GAMEDATA_DBT_TOKEN";
    public const int Threads = 4;

    public static string EnvVar(string name) => $"{{{{ env_var('{name}') }}}}";
}
