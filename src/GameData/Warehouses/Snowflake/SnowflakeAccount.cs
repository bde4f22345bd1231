using System.Text.RegularExpressions;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// A Snowflake account identifier in any documented form, reduced to the two things the SQL API needs:
/// the host to call and the account name that goes into a key-pair JWT.
/// Accepted: the organisation form <c>myorg-myaccount</c> or <c>myorg.myaccount</c> (JWT <c>MYORG-MYACCOUNT</c>),
/// an account locator <c>xy12345</c>, with its region and cloud <c>xy12345.us-east-2.aws</c> (JWT <c>XY12345</c>:
/// a locator drops its region), <c>.privatelink</c> after either, and any of these as a host or URL ending in
/// <c>.snowflakecomputing.com</c>. A region always holds a hyphen (<c>us-east-1</c>, <c>west-europe</c>,
/// <c>us-central1</c>) and an account name never does, which is how <c>myorg.account123</c> is told from
/// <c>xy12345.us-east-1</c>.
/// </summary>
public sealed record SnowflakeAccount(string Host, string JwtAccountName)
{
    private static readonly Regex Name = new(@"^[A-Za-z0-9_]+(-[A-Za-z0-9_]+)?$");
    private static readonly Regex Region = new(@"^[a-z]+(-[a-z0-9]+)+$", RegexOptions.IgnoreCase);
    private static readonly string[] Clouds = ["aws", "azure", "gcp"];
    private const string PrivateLink = "privatelink";

    public static SnowflakeAccount Parse(string identifier)
    {
        var text = identifier.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") text = uri.Host;
        text = Regex.Replace(text, @"\.snowflakecomputing\.com\.?$", "", RegexOptions.IgnoreCase).Trim('/');
        var parts = text.Split('.');
        var privateLink = parts.Length > 1 && parts[^1].Equals(PrivateLink, StringComparison.OrdinalIgnoreCase);
        var rest = privateLink ? parts[..^1] : parts;
        if (rest.Length == 0 || !Name.IsMatch(rest[0])) throw Invalid(identifier);

        string account;
        if (rest.Length == 1) account = rest[0];                                    // myorg-myaccount, or a locator
        else if (rest.Length == 2 && !Region.IsMatch(rest[1]) && !rest[0].Contains('-'))
        {
            if (!Name.IsMatch(rest[1]) || rest[1].Contains('-')) throw Invalid(identifier);
            account = $"{rest[0]}-{rest[1]}";                                      // myorg.myaccount: the period becomes a hyphen
            text = privateLink ? $"{account}.{PrivateLink}" : account;
        }
        else if (Region.IsMatch(rest[1])
                 && (rest.Length == 2 || (rest.Length == 3 && Clouds.Contains(rest[2], StringComparer.OrdinalIgnoreCase))))
            account = rest[0];                                                     // a locator with its region: the JWT drops the region
        else throw Invalid(identifier);

        // Host names cannot hold underscores; Snowflake accepts hyphens in their place.
        return new SnowflakeAccount($"{text.Replace('_', '-').ToLowerInvariant()}.snowflakecomputing.com", account.ToUpperInvariant());
    }

    private static ArgumentException Invalid(string identifier) =>
        new($"'{identifier}' is not a Snowflake account identifier (e.g. myorg-myaccount, myorg.myaccount or xy12345.us-east-2.aws)");
}
