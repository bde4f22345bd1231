using System.Text.RegularExpressions;
using System.Xml.Linq;
using GameData.Reporting;

namespace GameData.Tests.Reporting;

[Parallelizable(ParallelScope.Self)]
public class SvgChartTests
{
    private static readonly Chart Grouped = new("deaths", "Deaths <by> chapter", "d", "chapter", "deaths", ["1", "2", "3"],
        [new ChartSeries("easy", [10, 20, 5]), new ChartSeries("hard", [40, 0, 15])]);

    [Test]
    public void Bars_are_drawn_per_category_and_series_with_heights_proportional_to_values()
    {
        var svg = XElement.Parse(SvgChart.Svg(Grouped));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var bars = svg.Descendants(ns + "rect").Where(r => (string?)r.Attribute("class") == "mark").ToList();
        Assert.That(bars, Has.Count.EqualTo(6));
        var heights = bars.Select(b => double.Parse((string)b.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        // Plot height 270 px; the axis tops out at 40 (a round ceiling of the largest value).
        Assert.That(heights, Is.EqualTo(new[] { 67.5, 135, 33.8, 270, 0, 101.3 }).Within(0.1));
        Assert.That(bars.Select(b => b.Element(ns + "title")!.Value).First(), Is.EqualTo("1, easy: 10"));
        Assert.That(svg.Descendants(ns + "text").Count(t => (string?)t.Attribute("class") == "axis-label"), Is.EqualTo(2));
        Assert.That(svg.Element(ns + "title")!.Value, Is.EqualTo("Deaths <by> chapter"), "text is escaped, and the SVG still parses");
    }

    [Test]
    public void Lines_draw_one_point_per_category()
    {
        var chart = Grouped with { Kind = ChartKind.Lines };
        var svg = SvgChart.Svg(chart);
        Assert.That(Regex.Matches(svg, "<polyline").Count, Is.EqualTo(2));
        Assert.That(Regex.Matches(svg, "<circle class=\"mark\"").Count, Is.EqualTo(SvgChart.Marks(chart)));
    }

    [Test]
    public void The_table_view_holds_the_same_numbers()
    {
        var table = SvgChart.Table(Grouped);
        Assert.That(table, Does.Contain("<th>chapter</th><th>easy</th><th>hard</th>"));
        Assert.That(table, Does.Contain("<tr><td>1</td><td>10</td><td>40</td></tr>"));
    }

    [TestCase(0, 1)]
    [TestCase(7, 8)]
    [TestCase(40, 40)]
    [TestCase(55_000, 60_000)]
    [TestCase(228_220, 250_000)]
    [TestCase(1_001, 1_500)]
    public void Axis_ceilings_are_round(double max, double ceiling)
    {
        Assert.That(SvgChart.NiceCeiling(max), Is.EqualTo(ceiling));
    }
}
