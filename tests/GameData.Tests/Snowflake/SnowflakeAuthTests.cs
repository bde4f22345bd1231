using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GameData.Settings;
using GameData.Warehouses;
using GameData.Warehouses.Snowflake;

namespace GameData.Tests.Snowflake;

[Parallelizable(ParallelScope.Self)]
public class SnowflakeAuthTests
{
    [TestCase("myorg-myaccount", "myorg-myaccount.snowflakecomputing.com", "MYORG-MYACCOUNT")]
    [TestCase("MyOrg.MyAccount", "myorg-myaccount.snowflakecomputing.com", "MYORG-MYACCOUNT")]
    [TestCase("myorg-my_account", "myorg-my-account.snowflakecomputing.com", "MYORG-MY_ACCOUNT")]
    [TestCase("xy12345", "xy12345.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.us-east-2.aws", "xy12345.us-east-2.aws.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.eu-west-1", "xy12345.eu-west-1.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.west-europe.azure", "xy12345.west-europe.azure.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.us-central1.gcp", "xy12345.us-central1.gcp.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.us-east-1.privatelink", "xy12345.us-east-1.privatelink.snowflakecomputing.com", "XY12345")]
    [TestCase("https://myorg-myaccount.snowflakecomputing.com/", "myorg-myaccount.snowflakecomputing.com", "MYORG-MYACCOUNT")]
    [TestCase("xy12345.us-east-2.aws.snowflakecomputing.com", "xy12345.us-east-2.aws.snowflakecomputing.com", "XY12345")]
    // An account name may end in digits: the organisation form keeps both parts.
    [TestCase("myorg.account123", "myorg-account123.snowflakecomputing.com", "MYORG-ACCOUNT123")]
    [TestCase("myorg-account123", "myorg-account123.snowflakecomputing.com", "MYORG-ACCOUNT123")]
    [TestCase("acme.analytics2", "acme-analytics2.snowflakecomputing.com", "ACME-ANALYTICS2")]
    [TestCase("myorg.my_account1", "myorg-my-account1.snowflakecomputing.com", "MYORG-MY_ACCOUNT1")]
    [TestCase("myorg-myaccount.privatelink", "myorg-myaccount.privatelink.snowflakecomputing.com", "MYORG-MYACCOUNT")]
    [TestCase("xy12345.privatelink", "xy12345.privatelink.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.ca-central-1.aws", "xy12345.ca-central-1.aws.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.east-us-2.azure", "xy12345.east-us-2.azure.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.europe-west4.gcp", "xy12345.europe-west4.gcp.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.us-gov-west-1.aws", "xy12345.us-gov-west-1.aws.snowflakecomputing.com", "XY12345")]
    [TestCase("xy12345.us-east-1.aws.privatelink", "xy12345.us-east-1.aws.privatelink.snowflakecomputing.com", "XY12345")]
    [TestCase("https://myorg-account123.privatelink.snowflakecomputing.com", "myorg-account123.privatelink.snowflakecomputing.com", "MYORG-ACCOUNT123")]
    public void Account_identifiers_in_every_documented_form(string identifier, string host, string jwtAccount)
    {
        Assert.That(SnowflakeAccount.Parse(identifier), Is.EqualTo(new SnowflakeAccount(host, jwtAccount)));
    }

    [TestCase("")]
    [TestCase("my account")]
    [TestCase("a.b.c.d")]
    [TestCase("xy12345.notaregion.aws")]
    public void Not_an_account_identifier(string identifier)
    {
        Assert.Throws<ArgumentException>(() => SnowflakeAccount.Parse(identifier));
    }

    [TestCase("myorg-myaccount", "MYORG-MYACCOUNT")]
    [TestCase("myorg.myaccount", "MYORG-MYACCOUNT")]
    [TestCase("myorg.account123", "MYORG-ACCOUNT123")]
    [TestCase("xy12345.us-east-2.aws", "XY12345")]
    public void Jwt_verifies_with_the_public_key_and_names_account_and_user(string identifier, string account)
    {
        using var key = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        using var credential = new KeyPairJwtCredential(key, SnowflakeAccount.Parse(identifier), "course_loader", new FixedClock(now));

        var token = credential.Token();

        Assert.That(token.Type, Is.EqualTo("KEYPAIR_JWT"));
        var parts = token.Value.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3));
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        Assert.That(publicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True);

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        Assert.That(header.RootElement.GetProperty("alg").GetString(), Is.EqualTo("RS256"));
        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        Assert.That(claims.RootElement.GetProperty("iss").GetString(), Is.EqualTo($"{account}.COURSE_LOADER.{fingerprint}"));
        Assert.That(claims.RootElement.GetProperty("sub").GetString(), Is.EqualTo($"{account}.COURSE_LOADER"));
        Assert.That(claims.RootElement.GetProperty("iat").GetInt64(), Is.EqualTo(now.ToUnixTimeSeconds()));
        var exp = claims.RootElement.GetProperty("exp").GetInt64();
        Assert.That(exp - now.ToUnixTimeSeconds(), Is.GreaterThan(0).And.LessThanOrEqualTo(3600), "valid for at most an hour");
    }

    [Test]
    public void Jwt_is_reused_then_renewed_before_it_expires()
    {
        using var key = RSA.Create(2048);
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        using var credential = new KeyPairJwtCredential(key, SnowflakeAccount.Parse("xy12345"), "u", clock);
        var first = credential.Token().Value;
        clock.Now += TimeSpan.FromMinutes(50);
        Assert.That(credential.Token().Value, Is.EqualTo(first), "still well inside its hour");
        clock.Now += TimeSpan.FromMinutes(5);
        var renewed = credential.Token().Value;
        Assert.That(renewed, Is.Not.EqualTo(first), "renewed within five minutes of expiry");
        using var claims = JsonDocument.Parse(FromBase64Url(renewed.Split('.')[1]));
        Assert.That(claims.RootElement.GetProperty("exp").GetInt64(), Is.GreaterThan(clock.Now.ToUnixTimeSeconds() + 50 * 60));
    }

    [Test]
    public void Encrypted_pkcs8_key_with_its_passphrase()
    {
        using var folder = new TempFolder();
        using var key = RSA.Create(2048);
        var path = folder.File("encrypted.p8");
        File.WriteAllText(path, key.ExportEncryptedPkcs8PrivateKeyPem("open sesame",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));

        using var loaded = KeyPairJwtCredential.LoadPrivateKey(path, "open sesame");
        Assert.That(loaded.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));

        var settings = Settings(new() { ["SNOWFLAKE_PRIVATE_KEY_PATH"] = path, ["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"] = "wrong" });
        var error = Assert.Throws<SettingsException>(() => settings.Snowflake!.Credential());
        Assert.That(error!.Message, Does.StartWith($"cannot use the private key {path}").And.Not.Contain("wrong"));
    }

    [Test]
    public void Password_alone_gets_a_message_saying_what_to_set_instead()
    {
        var error = Assert.Throws<SettingsException>(() => Settings(new() { ["SNOWFLAKE_PASSWORD"] = "hunter2" }));
        Assert.That(error!.Message, Does.Contain("SNOWFLAKE_PRIVATE_KEY_PATH").And.Contain("SNOWFLAKE_TOKEN").And.Contain("MFA").And.Not.Contain("hunter2"));
    }

    [Test]
    public void No_credential_at_all_lists_the_three_choices()
    {
        var error = Assert.Throws<SettingsException>(() => Settings([]));
        Assert.That(error!.Message, Does.Contain("SNOWFLAKE_PRIVATE_KEY_PATH").And.Contain("SNOWFLAKE_TOKEN").And.Contain("SNOWFLAKE_OAUTH_TOKEN"));
    }

    [Test]
    public void Token_kinds_and_defaults()
    {
        var pat = Settings(new() { ["SNOWFLAKE_TOKEN"] = "pat-123" }).Snowflake!;
        Assert.That(pat.Credential().Token(), Is.EqualTo(new SnowflakeToken("pat-123", "PROGRAMMATIC_ACCESS_TOKEN")));
        Assert.That((pat.Database, pat.Schema), Is.EqualTo(("GAME_ANALYTICS", "RAW")));
        var oauth = Settings(new() { ["SNOWFLAKE_OAUTH_TOKEN"] = "oauth-456" }).Snowflake!;
        Assert.That(oauth.Credential().Token(), Is.EqualTo(new SnowflakeToken("oauth-456", "OAUTH")));
        Assert.That(oauth.ApiUrl, Is.EqualTo(new Uri("https://myorg-myaccount.snowflakecomputing.com")));
    }

    private static WarehouseSettings Settings(Dictionary<string, string?> extra)
    {
        var values = new Dictionary<string, string?> { ["GAME_WAREHOUSE"] = "snowflake", ["SNOWFLAKE_ACCOUNT"] = "myorg-myaccount", ["SNOWFLAKE_USER"] = "u" };
        foreach (var (key, value) in extra) values[key] = value;
        return WarehouseSettings.From(new SettingLayers().Add("test", values));
    }

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
