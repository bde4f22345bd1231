namespace GameData.Settings;

/// <summary>"Did you mean": the known name nearest a misspelt one, for the error that refuses it.</summary>
public static class Spelling
{
    /// <summary>The candidate fewest edits (in any letter case) from <paramref name="name"/>, if it is close enough to be meant.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (Name: c, Distance: EditDistance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .MinBy(c => c.Distance);
        return best.Name is not null && best.Distance <= Math.Max(2, name.Length / 3) ? best.Name : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
