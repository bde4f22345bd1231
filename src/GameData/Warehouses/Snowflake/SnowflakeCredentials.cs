using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GameData.Warehouses.Snowflake;

/// <summary>A bearer token and the value of <c>X-Snowflake-Authorization-Token-Type</c> that goes with it.</summary>
public readonly record struct SnowflakeToken(string Value, string Type);

/// <summary>A programmatic access token or an OAuth access token, sent as it is.</summary>
public sealed class StaticTokenCredential(string token, string type) : ISnowflakeCredential
{
    public const string ProgrammaticAccessToken = "PROGRAMMATIC_ACCESS_TOKEN";
    public const string OAuth = "OAUTH";

    public SnowflakeToken Token() => new(token, type);

    public bool Renew(string rejected) => false;
}

/// <summary>
/// Key-pair authentication: an RS256 JWT with <c>iss = ACCOUNT.USER.SHA256:fingerprint</c>,
/// <c>sub = ACCOUNT.USER</c>, valid for at most an hour. A token is reused until five minutes before it
/// expires, then renewed; one Snowflake refuses is signed again at once, issued a minute earlier in case
/// Snowflake's clock runs behind ours.
/// </summary>
public sealed class KeyPairJwtCredential : ISnowflakeCredential, IDisposable
{
    public const string TokenType = "KEYPAIR_JWT";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(59);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly RSA _key;
    private readonly string _qualifiedUser;
    private readonly string _fingerprint;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private (string Jwt, DateTimeOffset IssuedAt)? _current;

    public KeyPairJwtCredential(RSA key, SnowflakeAccount account, string user, TimeProvider? clock = null)
    {
        _key = key;
        _qualifiedUser = $"{account.JwtAccountName}.{user.ToUpperInvariant()}";
        _fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Reads a PEM private key: PKCS#8 (encrypted with <paramref name="passphrase"/>, or not) or PKCS#1.</summary>
    public static RSA LoadPrivateKey(string path, string? passphrase)
    {
        var pem = File.ReadAllText(path);
        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                if (string.IsNullOrEmpty(passphrase))
                    throw new CryptographicException("the key is encrypted: set SNOWFLAKE_PRIVATE_KEY_PASSPHRASE");
                rsa.ImportFromEncryptedPem(pem, passphrase);
            }
            else rsa.ImportFromPem(pem);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public string Issuer => $"{_qualifiedUser}.{_fingerprint}";
    public string Subject => _qualifiedUser;

    public SnowflakeToken Token()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_current is not { } current || current.IssuedAt + Lifetime - now < RenewBefore)
                _current = current = (Sign(now), now);
            return new SnowflakeToken(current.Jwt, TokenType);
        }
    }

    public bool Renew(string rejected)
    {
        lock (_gate)
        {
            if (_current is { } current && current.Jwt != rejected) return true; // another request renewed it already
            var issuedAt = _clock.GetUtcNow() - ClockSkew;
            // Never the same token again: a refused token signed within the same second would come out identical.
            if (_current is { } old && issuedAt.ToUnixTimeSeconds() >= old.IssuedAt.ToUnixTimeSeconds())
                issuedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(issuedAt.ToUnixTimeSeconds(), old.IssuedAt.ToUnixTimeSeconds() - 1));
            _current = (Sign(issuedAt), issuedAt);
            return true;
        }
    }

    private string Sign(DateTimeOffset issuedAt)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = Issuer,
            sub = Subject,
            iat = issuedAt.ToUnixTimeSeconds(),
            exp = (issuedAt + Lifetime).ToUnixTimeSeconds(),
        }));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _key.Dispose();
}
