using System.Globalization;
using System.Numerics;
using GameData.Generation;

namespace GameData.Tests.Generation;

/// <summary>The RNG primitives against the vectors CPython produced (Reference/rng-vectors.txt); each line is a fresh seed.</summary>
[Parallelizable(ParallelScope.Self)]
public class RngVectorTests
{
    public static IEnumerable<TestCaseData> Vectors()
    {
        var lines = File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference", "rng-vectors.txt"));
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (!lines[i].StartsWith("# seed ", StringComparison.Ordinal)) continue;
            var colon = lines[i].IndexOf(':');
            var seed = lines[i][7..colon];
            var what = lines[i][(colon + 1)..].Trim();
            yield return new TestCaseData(seed, what, lines[i + 1]).SetName($"seed {seed}: {what}");
        }
    }

    [TestCaseSource(nameof(Vectors))]
    public void Primitive_matches_CPython(string seedText, string what, string expected)
    {
        var random = new PythonRandom(BigInteger.Parse(seedText, CultureInfo.InvariantCulture));
        var actual = what switch
        {
            "first 5 getrandbits(32)" => Join(5, () => random.GetRandBits(32).ToString(CultureInfo.InvariantCulture)),
            "first 5 random() as repr" => Join(5, () => PythonFloat.Repr(random.NextDouble())),
            "10 x randint(0, 0) then 10 x randint(1, 10) then 5 x randint(0, 2678399)" =>
                Join(10, () => random.RandInt(0, 0).ToString(CultureInfo.InvariantCulture)) + " | " +
                Join(10, () => random.RandInt(1, 10).ToString(CultureInfo.InvariantCulture)) + " | " +
                Join(5, () => random.RandInt(0L, 2678399L).ToString(CultureInfo.InvariantCulture)),
            "10 x weighted(easy .15, normal .55, hard .20, grounded .10) via choices" =>
                Join(10, () => GameCatalog.Difficulties[random.WeightedIndex(GameCatalog.DifficultyWeights)]),
            "10 x int(expovariate(1/5))" =>
                Join(10, () => ((long)Math.Truncate(random.ExpoVariate(0.2))).ToString(CultureInfo.InvariantCulture)),
            "10 x json.dumps(round(uniform(45, 95), 1))" =>
                Join(10, () => PythonFloat.Repr(PythonFloat.Round1(random.Uniform(45, 95)))),
            _ => throw new InvalidOperationException($"unknown vector kind: {what}"),
        };
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Every_vector_kind_in_the_file_is_checked()
    {
        Assert.That(Vectors().Count(), Is.EqualTo(30), "5 seeds x 6 kinds");
    }

    [TestCase("0", new uint[] { 0 })]
    [TestCase("-42", new uint[] { 42 })]
    [TestCase("4294967296", new uint[] { 0, 1 })]
    [TestCase("18446744073709551621", new uint[] { 5, 0, 1 })]
    public void Seed_key_is_the_magnitude_in_32_bit_words_least_significant_first(string seed, uint[] key)
    {
        Assert.That(PythonRandom.SeedKey(BigInteger.Parse(seed, CultureInfo.InvariantCulture)), Is.EqualTo(key));
    }

    [Test]
    public void Negative_seed_draws_like_its_absolute_value()
    {
        var negative = new PythonRandom(-7);
        var positive = new PythonRandom(7);
        Assert.That(Enumerable.Range(0, 5).Select(_ => negative.NextUInt32()),
            Is.EqualTo(Enumerable.Range(0, 5).Select(_ => positive.NextUInt32())));
    }

    [Test]
    public void Below_one_still_consumes_a_draw()
    {
        var a = new PythonRandom(42);
        var b = new PythonRandom(42);
        Assert.That(a.Below(1), Is.Zero);
        // Below(1) draws getrandbits(1) until it is 0: seed 42's first output has its top bit set, the second not.
        var draws = 0;
        while (b.NextUInt32() >> 31 != 0) draws++;
        Assert.That(draws + 1, Is.EqualTo(2));
        Assert.That(a.NextUInt32(), Is.EqualTo(b.NextUInt32()));
    }

    [Test]
    public void GetRandBits_above_32_takes_the_low_word_first()
    {
        var wide = new PythonRandom(42);
        var words = new PythonRandom(42);
        var low = (ulong)words.NextUInt32();
        var high = (ulong)(words.NextUInt32() >> 24); // 40 bits: 32 + 8
        var bits = wide.GetRandBits(40);
        Assert.That(bits, Is.EqualTo((high << 32) | low));
        Assert.That(bits, Is.EqualTo(123005401501UL), "random.Random(42).getrandbits(40)");
    }

    [Test]
    public void RandInt_over_a_range_wider_than_32_bits_matches_CPython()
    {
        // random.Random(42): [randint(0, 6_000_000_000) for _ in range(3)] (a window of about 190 years)
        var random = new PythonRandom(42);
        Assert.That(Enumerable.Range(0, 3).Select(_ => random.RandInt(0L, 6_000_000_000L)), Is.EqualTo(new long[] { 2746317213, 4402387665, 1181241943 }));
    }

    private static string Join(int count, Func<string> next) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => next()));
}
