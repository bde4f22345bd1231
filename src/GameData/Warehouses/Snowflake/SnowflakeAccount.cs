using System.Text.RegularExpressions;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// A Snowflake account identifier in any documented form, reduced to the two things the SQL API needs:
/// the host to call and the account name that goes into a key-pair JWT.
/// Accepted: <c>myorg-myaccount</c>, <c>myorg.myaccount</c>, a locator <c>xy12345</c>, a locator with
/// region and cloud <c>xy12345.us-east-2.aws</c>, <c>...privatelink</c>, and any of these as a host or URL
/// ending in <c>.snowflakecomputing.com</c>.
/// </summary>
public sealed record SnowflakeAccount(string Host, string JwtAccountName)
{
    private static readonly Regex Region = new(@"^[a-z]+(-[a-z]+)*-?\d+$|^[a-z]+(-[a-z]+)+$", RegexOptions.IgnoreCase);
    private static readonly string[] Clouds = ["aws", "azure", "gcp", "privatelink"];

    public static SnowflakeAccount Parse(string identifier)
    {
        var text = identifier.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") text = uri.Host;
        text = Regex.Replace(text, @"\.snowflakecomputing\.com\.?$", "", RegexOptions.IgnoreCase).Trim('/');
        if (text.Length == 0 || !Regex.IsMatch(text, @"^[A-Za-z0-9_.-]+$"))
            throw new ArgumentException($"'{identifier}' is not a Snowflake account identifier (e.g. myorg-myaccount or xy12345.us-east-2.aws)");

        var parts = text.Split('.');
        var isLocatorWithRegion = parts.Length >= 2 &&
            (Clouds.Contains(parts[^1], StringComparer.OrdinalIgnoreCase) || Region.IsMatch(parts[1]));
        string jwtAccount;
        if (parts.Length == 1 || isLocatorWithRegion)
            jwtAccount = parts[0]; // a locator keeps only its first part in the JWT; myorg-myaccount stays whole
        else if (parts.Length == 2)
            jwtAccount = $"{parts[0]}-{parts[1]}"; // organisation.account: the period becomes a hyphen
        else
            throw new ArgumentException($"'{identifier}' is not a Snowflake account identifier (e.g. myorg-myaccount or xy12345.us-east-2.aws)");

        // Host names cannot hold underscores; Snowflake accepts hyphens in their place.
        var hostAccount = parts.Length == 2 && !isLocatorWithRegion ? jwtAccount : text;
        return new SnowflakeAccount($"{hostAccount.Replace('_', '-').ToLowerInvariant()}.snowflakecomputing.com", jwtAccount.ToUpperInvariant());
    }
}
