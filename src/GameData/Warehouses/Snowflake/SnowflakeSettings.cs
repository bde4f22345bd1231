using System.Security.Cryptography;
using GameData.Settings;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// How to reach Snowflake, from <c>.env</c>/environment: the account, user, context, and exactly one
/// credential: a key pair (JWT), a programmatic access token, or an OAuth token.
/// </summary>
public sealed record SnowflakeSettings(
    SnowflakeAccount Account, string? User, string Database, string Schema, string? Warehouse, string? Role,
    string? PrivateKeyPath, string? PrivateKeyPassphrase, string? Token, string? OAuthToken, Uri ApiUrl,
    int ChunkRows = 16_384, int ChunkBytes = 900_000, int RequestsInFlight = 4, SnowflakeIngest Ingest = SnowflakeIngest.Auto)
{
    public static SnowflakeSettings From(SettingLayers layers, string? schemaOverride)
    {
        string? Get(string key) => layers.Get(key)?.Text;
        var accountText = Get("SNOWFLAKE_ACCOUNT")
            ?? throw new SettingsException("set SNOWFLAKE_ACCOUNT to your account identifier (e.g. myorg-myaccount)");
        SnowflakeAccount account;
        try { account = SnowflakeAccount.Parse(accountText); }
        catch (ArgumentException e) { throw new SettingsException($"SNOWFLAKE_ACCOUNT: {e.Message}"); }

        var keyPath = Get("SNOWFLAKE_PRIVATE_KEY_PATH");
        var token = Get("SNOWFLAKE_TOKEN");
        var oauth = Get("SNOWFLAKE_OAUTH_TOKEN");
        if (keyPath is null && token is null && oauth is null)
            throw new SettingsException(Get("SNOWFLAKE_PASSWORD") is not null
                ? "SNOWFLAKE_PASSWORD is not enough: Snowflake's SQL API takes no passwords, and Snowflake now requires MFA for people's " +
                  "password sign-ins and forbids passwords for service users. Set SNOWFLAKE_PRIVATE_KEY_PATH (key-pair authentication, " +
                  "for CI) or SNOWFLAKE_TOKEN (a programmatic access token, for people) instead; " +
                  "the README's Snowflake section shows how"
                : "no Snowflake credential: set SNOWFLAKE_PRIVATE_KEY_PATH (and SNOWFLAKE_PRIVATE_KEY_PASSPHRASE for an encrypted key), " +
                  "SNOWFLAKE_TOKEN or SNOWFLAKE_OAUTH_TOKEN");
        var user = Get("SNOWFLAKE_USER");
        if (keyPath is not null && user is null) throw new SettingsException("key-pair authentication needs SNOWFLAKE_USER");

        var apiUrl = Get("SNOWFLAKE_API_URL") is { } url ? new Uri(url) : new Uri($"https://{account.Host}");
        return new SnowflakeSettings(account, user, Get("SNOWFLAKE_DATABASE") ?? "GAME_ANALYTICS",
            schemaOverride ?? Get("SNOWFLAKE_SCHEMA") ?? "RAW", Get("SNOWFLAKE_WAREHOUSE"), Get("SNOWFLAKE_ROLE"),
            keyPath, Get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"), token, oauth, apiUrl,
            Limit(layers, "SNOWFLAKE_CHUNK_ROWS", 16_384, 1, 16_384),
            Limit(layers, "SNOWFLAKE_CHUNK_BYTES", 900_000, 1_000, 1_000_000),
            Limit(layers, "SNOWFLAKE_REQUESTS_IN_FLIGHT", 4, 1, 32),
            IngestFrom(layers));
    }

    private static SnowflakeIngest IngestFrom(SettingLayers layers)
    {
        if (layers.Get("SNOWFLAKE_INGEST") is not { } value) return SnowflakeIngest.Auto;
        return value.Text.Trim().ToLowerInvariant() switch
        {
            "auto" => SnowflakeIngest.Auto,
            "streaming" => SnowflakeIngest.Streaming,
            "sql" => SnowflakeIngest.Sql,
            _ => throw new SettingsException($"{value.Describe()} must be auto, streaming or sql"),
        };
    }

    /// <summary>A whole number within the API's limits (a VALUES list holds at most 16,384 rows; statements stay under 1 MB).</summary>
    private static int Limit(SettingLayers layers, string key, int fallback, int min, int max)
    {
        if (layers.Get(key) is not { } value) return fallback;
        if (!int.TryParse(value.Text, out var number) || number < min || number > max)
            throw new SettingsException($"{value.Describe()} must be a whole number from {min} to {max}");
        return number;
    }

    /// <summary>The credential, first choice key pair, then programmatic access token, then OAuth.</summary>
    public ISnowflakeCredential Credential()
    {
        if (PrivateKeyPath is null)
            return Token is not null
                ? new StaticTokenCredential(Token, StaticTokenCredential.ProgrammaticAccessToken)
                : new StaticTokenCredential(OAuthToken!, StaticTokenCredential.OAuth);
        try
        {
            return new KeyPairJwtCredential(KeyPairJwtCredential.LoadPrivateKey(PrivateKeyPath, PrivateKeyPassphrase), Account, User!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // The reason only: never the key or the passphrase.
            throw new SettingsException($"cannot use the private key {PrivateKeyPath}: {e.Message.Split('\n')[0]}");
        }
    }

    public SnowflakeContext Context(string schema) => new(Database, schema, Warehouse, Role);

    public string Describe() =>
        $"snowflake {Account.JwtAccountName}{(User is null ? "" : $" as {User.ToUpperInvariant()}")} ({Database}.{Schema})";
}
