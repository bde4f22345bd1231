using System.Text;

namespace GameData.Generation;

/// <summary>
/// ID prefixes for a batch: batch 1 writes <c>player_7</c>, batch b &gt;= 2 writes <c>player_b_7</c>
/// (GENERATOR.md section 6). The batch changes nothing else.
/// </summary>
public sealed class RawIds(int batch)
{
    public byte[] Player { get; } = Prefix("player", batch);
    public byte[] Session { get; } = Prefix("session", batch);
    public byte[] Event { get; } = Prefix("event", batch);

    private static byte[] Prefix(string kind, int batch) =>
        Encoding.ASCII.GetBytes(batch == 1 ? $"{kind}_" : $"{kind}_{batch}_");

    /// <summary>The text form of an ID, e.g. <c>Format("player", 2, 5)</c> = <c>player_2_5</c>.</summary>
    public static string Format(string kind, int batch, long number) =>
        batch == 1 ? $"{kind}_{number}" : $"{kind}_{batch}_{number}";
}
