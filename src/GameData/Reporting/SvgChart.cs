using System.Globalization;
using System.Net;
using System.Text;

namespace GameData.Reporting;

public enum ChartKind { Bars, Lines }

public sealed record ChartSeries(string Name, double[] Values);

/// <summary>One chart: its categories along x and one or more series of values.</summary>
public sealed record Chart(string Id, string Title, string Description, string XLabel, string YLabel, string[] Categories,
    ChartSeries[] Series, ChartKind Kind = ChartKind.Bars);

/// <summary>
/// A small SVG chart renderer: grouped bars or lines, a y axis with round ticks, axis labels, a legend,
/// a &lt;title&gt; on every mark, and the numbers again as a table. No script, no network.
/// </summary>
public static class SvgChart
{
    public const int Width = 760, Height = 380;
    private const int Left = 70, Right = 20, Top = 20, Bottom = 90;
    public static readonly string[] Palette = ["#2563eb", "#f59e0b", "#10b981", "#dc2626"];

    public static string Render(Chart chart)
    {
        var html = new StringBuilder();
        html.Append($"<figure class=\"chart\" id=\"{chart.Id}\" data-marks=\"{Marks(chart)}\">");
        html.Append($"<h2>{E(chart.Title)}</h2><p class=\"description\">{E(chart.Description)}</p>");
        html.Append(Svg(chart));
        html.Append("<details><summary>Table</summary>").Append(Table(chart)).Append("</details></figure>\n");
        return html.ToString();
    }

    /// <summary>How many data marks the chart draws: bars, or points on lines.</summary>
    public static int Marks(Chart chart) => chart.Categories.Length * chart.Series.Length;

    public static string Svg(Chart chart)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = NiceCeiling(chart.Series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        double Y(double value) => Top + plotHeight - value / max * plotHeight;
        var svg = new StringBuilder();
        svg.Append($"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{chart.Id}-title\" " +
                   $"xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append($"<title id=\"{chart.Id}-title\">{E(chart.Title)}</title>");

        // Y axis: five round ticks with grid lines.
        for (var i = 0; i <= 5; i++)
        {
            var value = max * i / 5;
            svg.Append($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(value))}\" y2=\"{F(Y(value))}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{Left - 8}\" y=\"{F(Y(value) + 4)}\" text-anchor=\"end\">{Number(value)}</text>");
        }
        svg.Append($"<text class=\"axis-label\" transform=\"translate(16 {Top + plotHeight / 2}) rotate(-90)\" " +
                   $"text-anchor=\"middle\">{E(chart.YLabel)}</text>");
        svg.Append($"<text class=\"axis-label\" x=\"{Left + plotWidth / 2}\" y=\"{Height - 8}\" " +
                   $"text-anchor=\"middle\">{E(chart.XLabel)}</text>");

        var band = plotWidth / (double)Math.Max(1, chart.Categories.Length);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(chart.Categories.Length / 16.0));
        for (var c = 0; c < chart.Categories.Length; c++)
        {
            if (c % labelEvery != 0) continue;
            var x = Left + band * (c + 0.5);
            svg.Append($"<text class=\"category\" transform=\"translate({F(x)} {Top + plotHeight + 14}) rotate(-35)\" " +
                       $"text-anchor=\"end\">{E(chart.Categories[c])}</text>");
        }

        for (var s = 0; s < chart.Series.Length; s++)
        {
            var series = chart.Series[s];
            var color = Palette[s % Palette.Length];
            if (chart.Kind == ChartKind.Bars)
            {
                var barWidth = band * 0.8 / chart.Series.Length;
                for (var c = 0; c < chart.Categories.Length; c++)
                {
                    var x = Left + band * c + band * 0.1 + barWidth * s;
                    var y = Y(series.Values[c]);
                    svg.Append($"<rect class=\"mark\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(Math.Max(1, barWidth - 1))}\" " +
                               $"height=\"{F(Top + plotHeight - y)}\" fill=\"{color}\">" +
                               $"<title>{E(chart.Categories[c])}, {E(series.Name)}: {Number(series.Values[c])}</title></rect>");
                }
            }
            else
            {
                var points = series.Values.Select((v, c) => $"{F(Left + band * (c + 0.5))},{F(Y(v))}");
                svg.Append($"<polyline class=\"line\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" " +
                           $"points=\"{string.Join(' ', points)}\"/>");
                for (var c = 0; c < chart.Categories.Length; c++)
                    svg.Append($"<circle class=\"mark\" cx=\"{F(Left + band * (c + 0.5))}\" cy=\"{F(Y(series.Values[c]))}\" r=\"3.5\" " +
                               $"fill=\"{color}\">" +
                               $"<title>{E(chart.Categories[c])}, {E(series.Name)}: {Number(series.Values[c])}</title></circle>");
            }
        }

        if (chart.Series.Length > 1)
            for (var s = 0; s < chart.Series.Length; s++)
            {
                var x = Left + 10 + s * 150;
                svg.Append($"<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Length]}\"/>");
                svg.Append($"<text class=\"legend\" x=\"{x + 18}\" y=\"15\">{E(chart.Series[s].Name)}</text>");
            }
        svg.Append("<line class=\"axis\" x1=\"").Append(Left).Append("\" x2=\"").Append(Width - Right)
            .Append("\" y1=\"").Append(Top + plotHeight).Append("\" y2=\"").Append(Top + plotHeight).Append("\"/></svg>");
        return svg.ToString();
    }

    public static string Table(Chart chart)
    {
        var table = new StringBuilder($"<table><thead><tr><th>{E(chart.XLabel)}</th>");
        foreach (var series in chart.Series) table.Append($"<th>{E(series.Name)}</th>");
        table.Append("</tr></thead><tbody>");
        for (var c = 0; c < chart.Categories.Length; c++)
        {
            table.Append($"<tr><td>{E(chart.Categories[c])}</td>");
            foreach (var series in chart.Series) table.Append($"<td>{Number(series.Values[c])}</td>");
            table.Append("</tr>");
        }
        return table.Append("</tbody></table>").ToString();
    }

    /// <summary>
    /// The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above the value, at least 1: five ticks stay round.
    /// </summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 1) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
            if (step * magnitude >= value) return step * magnitude;
        return 10 * magnitude;
    }

    private static string Number(double value) =>
        value == Math.Floor(value) ? value.ToString("N0", CultureInfo.InvariantCulture)
            : value.ToString("N1", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
