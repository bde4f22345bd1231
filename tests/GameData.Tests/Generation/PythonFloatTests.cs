using GameData.Generation;

namespace GameData.Tests.Generation;

/// <summary>Expected values were printed by CPython 3.11: <c>repr(x)</c> and <c>round(x, 1)</c>.</summary>
[Parallelizable(ParallelScope.Self)]
public class PythonFloatTests
{
    [TestCase(0.0, "0.0")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(1.0, "1.0")]
    [TestCase(77.0, "77.0")]
    [TestCase(46.3, "46.3")]
    [TestCase(0.1, "0.1")]
    [TestCase(1e+16, "1e+16")]
    [TestCase(1000000000000000.0, "1000000000000000.0")]
    [TestCase(123456789012345.6, "123456789012345.6")]
    [TestCase(1e-05, "1e-05")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(1.5e-07, "1.5e-07")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(1e+22, "1e+22")]
    [TestCase(5e-324, "5e-324")]
    [TestCase(1.7976931348623157e+308, "1.7976931348623157e+308")]
    [TestCase(0.30000000000000004, "0.30000000000000004")]
    [TestCase(100.0, "100.0")]
    [TestCase(9007199254740992.0, "9007199254740992.0")]
    public void Repr_matches_Python(double value, string expected)
    {
        Assert.That(PythonFloat.Repr(value), Is.EqualTo(expected));
    }

    [TestCase(45.05, 45.0)]
    [TestCase(45.15, 45.1)]
    [TestCase(45.25, 45.2)]
    [TestCase(94.95, 95.0)]
    [TestCase(0.05, 0.1)]
    [TestCase(2.675, 2.7)]
    [TestCase(67.35, 67.3)]
    [TestCase(50.0, 50.0)]
    [TestCase(45.0000000001, 45.0)]
    [TestCase(94.99999999, 95.0)]
    [TestCase(0.25, 0.2)]
    [TestCase(0.35, 0.3)]
    [TestCase(-0.25, -0.2)]
    [TestCase(-45.15, -45.1)]
    [TestCase(1e+20, 1e+20)]
    [TestCase(2.5e-17, 0.0)]
    [TestCase(123456.75, 123456.8)]
    public void Round1_matches_Pythons_round_half_even_on_the_exact_value(double value, double expected)
    {
        Assert.That(PythonFloat.Round1(value), Is.EqualTo(expected));
    }

    [Test]
    public void Round1_differs_from_naive_scaling_where_it_must()
    {
        // 45.15 is stored as 45.14999..., so Python gives 45.1; Math.Round(45.15 * 10) / 10 gives 45.2.
        Assert.That(Math.Round(45.15 * 10, MidpointRounding.ToEven) / 10, Is.EqualTo(45.2));
        Assert.That(PythonFloat.Round1(45.15), Is.EqualTo(45.1));
    }

    [Test]
    public void The_reference_line_of_tricky_roundings_is_reproduced()
    {
        var line = File.ReadLines(ReferenceFiles.RngVectors).SkipWhile(l => !l.StartsWith("# round(x, 1)", StringComparison.Ordinal)).ElementAt(1);
        foreach (var pair in line.Split(' '))
        {
            var (input, output) = (pair.Split("->")[0], pair.Split("->")[1]);
            Assert.That(PythonFloat.Repr(PythonFloat.Round1(double.Parse(input, System.Globalization.CultureInfo.InvariantCulture))),
                Is.EqualTo(output), input);
        }
    }
}
