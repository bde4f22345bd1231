using System.Security.Cryptography;
using System.Text;
using GameData.Files;

namespace GameData.Tests.Files;

/// <summary>
/// The rows a file holds, counted 64 bytes at a time: the same as a reader that walks byte by byte, whatever
/// the quoting (line breaks inside quotes, doubled quotes) and wherever the file is cut into buffers.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class FileFactsTests
{
    [TestCase("a,b\n1,2\n", 1)]
    [TestCase("a,b\n\"1\n2\",3\n4,5\n", 2, TestName = "A line break inside quotes is not a row's end")]
    [TestCase("a\n\"x\"\"\ny\"\n", 1, TestName = "A doubled quote inside a quoted field")]
    [TestCase("header\n", 0)]
    [TestCase("", 0)]
    public void Counts_the_records_after_the_header(string text, long rows)
    {
        var facts = new FileFactsBuilder();
        facts.Append(Encoding.UTF8.GetBytes(text));
        Assert.That(facts.Complete().Rows, Is.EqualTo(rows));
    }

    [Test]
    public void Agrees_with_a_byte_by_byte_count_on_random_CSV_cut_anywhere([Range(1, 40)] int seed)
    {
        var random = new Random(seed);
        var bytes = RandomCsv(random, random.Next(0, 5000));
        var builder = new FileFactsBuilder();
        for (var position = 0; position < bytes.Length;)
        {
            var length = Math.Min(bytes.Length - position, random.Next(0, 300));
            builder.Append(bytes.AsSpan(position, length));
            position += length;
        }
        var facts = builder.Complete();

        Assert.That(facts.Rows, Is.EqualTo(Math.Max(0, ByteByByte(bytes) - 1)));
        Assert.That(facts.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    private static byte[] RandomCsv(Random random, int length)
    {
        var alphabet = "ab,\"\n\n\"\"x ,\r";
        return Encoding.ASCII.GetBytes(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private static long ByteByByte(byte[] bytes)
    {
        var inQuotes = false;
        long breaks = 0;
        foreach (var b in bytes)
        {
            if (b == '"') inQuotes = !inQuotes;
            else if (b == '\n' && !inQuotes) breaks++;
        }
        return breaks;
    }
}
