using System.Globalization;
using System.Net;
using System.Text;
using GameData.Generation;

namespace GameData.Reporting;

/// <summary>The report's data-quality facts: the declared defects (null for a clean dataset) and the profile (null when not run).</summary>
public sealed record DataQuality(AnomalyList? Declared, QueryResult? Profile);

/// <summary>The report page: one self-contained HTML file (inline CSS and SVG, no script, no network).</summary>
public static class HtmlReport
{
    private const string Style = """
        :root { color-scheme: light; --ink: #111827; --muted: #4b5563; --line: #e5e7eb; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 18px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        header, main { max-width: 1100px; margin: 0 auto; padding: 24px; }
        header { border-bottom: 1px solid var(--line); }
        h1 { font-size: 2rem; margin: 0 0 8px; }
        h2 { font-size: 1.35rem; margin: 0 0 4px; }
        .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 16px 0 0; }
        .fact { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .fact b { display: block; font-size: 1.4rem; }
        .fact span { color: var(--muted); font-size: 0.9rem; }
        nav { display: flex; flex-wrap: wrap; gap: 6px 16px; margin-top: 14px; }
        nav a { white-space: nowrap; }
        figure.chart { margin: 32px 0; padding: 16px; border: 1px solid var(--line); border-radius: 10px; }
        .description { color: var(--muted); margin: 0 0 8px; }
        svg { width: 100%; height: auto; display: block; }
        svg text { font-size: 13px; fill: var(--ink); }
        svg .axis-label { font-size: 14px; font-weight: 600; }
        svg .grid { stroke: var(--line); }
        svg .axis { stroke: #9ca3af; }
        details { margin-top: 8px; }
        table { border-collapse: collapse; margin-top: 8px; font-size: 0.95rem; }
        th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        table.text th, table.text td { text-align: left; }
        table.text td.n { text-align: right; }
        @media print { details { display: none; } }
        """;

    public static string Render(DatasetManifest? manifest, (long Players, long Sessions, long Events) rows, IReadOnlyList<Chart> charts,
        DataQuality quality, DateTimeOffset generatedAt)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Game data profile</title>");
        html.Append("<style>").Append(Style).Append("</style></head><body><header>");
        html.Append("<h1>Game data profile</h1>");
        var settings = manifest?.Settings;
        html.Append($"<p class=\"description\">{(settings is null ? "No manifest.json: settings unknown."
                        : $"Batch {settings.Batch}, window {settings.Start} to {settings.End}, seed {E(settings.Seed)}, " +
                          $"game version {E(settings.GameVersion)}, at most {settings.MaxSessionsPerPlayer} sessions per player.")}" +
                    $" Report made {generatedAt:yyyy-MM-dd HH:mm} UTC.</p>");
        html.Append("<div class=\"facts\" id=\"dataset\">");
        Fact(html, "players", rows.Players);
        Fact(html, "sessions", rows.Sessions);
        Fact(html, "events", rows.Events);
        if (settings is not null)
        {
            Fact(html, "batch", settings.Batch);
            html.Append($"<div class=\"fact\"><b>{settings.Start}</b><span>window starts</span></div>" +
                        $"<div class=\"fact\"><b>{settings.End}</b><span>window ends</span></div>");
        }
        html.Append("</div><nav>");
        foreach (var chart in charts) html.Append($"<a href=\"#{chart.Id}\">{E(chart.Title)}</a>\n");
        html.Append("<a href=\"#data-quality\">Data quality</a>\n");
        html.Append("</nav></header><main>");
        foreach (var chart in charts) html.Append(SvgChart.Render(chart));
        DataQualitySection(html, manifest, quality);
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    /// <summary>What was declared (anomalies.json) beside what a profile of the files shows.</summary>
    private static void DataQualitySection(StringBuilder html, DatasetManifest? manifest, DataQuality quality)
    {
        html.Append("<section id=\"data-quality\" class=\"chart\"><h2>Data quality</h2>");
        if (quality.Declared is null && quality.Profile is null)
        {
            html.Append("<p class=\"description\">No defects declared: the files are the generator's clean output, as manifest.json " +
                        "records it. Generate with <code>--anomalies course</code> for a dataset with defects to find.</p></section>");
            return;
        }
        if (quality.Declared is { } declared)
        {
            html.Append($"<p class=\"description\">Declared in anomalies.json ({E(declared.Spec)}): {declared.Defects.Count:N0} defects " +
                        $"mixed in on purpose, each listed with its file, line and key.</p>");
            html.Append("<table id=\"declared-defects\" class=\"text\"><tr><th>kind</th><th>file</th><th>defects</th>" +
                        "<th>found by (gamedata validate)</th><th>dbt test it should trip</th></tr>");
            foreach (var kind in Anomalies.AnomalyKind.All.Where(k => declared.Counts.ContainsKey(k.Name)))
                html.Append($"<tr><td>{E(kind.Name)}</td><td>{E(kind.File)}</td><td class=\"n\">{declared.Counts[kind.Name]:N0}</td>" +
                            $"<td>{E(kind.Rule.Id)}</td><td>{E(kind.DbtTest)}</td></tr>");
            html.Append("</table>");
        }
        else
        {
            html.Append("<p class=\"description\">No manifest.json: nothing is known of these files' quality but the profile below.</p>");
        }
        if (quality.Profile is { } profile)
        {
            html.Append("<p class=\"description\">Profile of the files (what a staging model's tests would find):</p>" +
                        "<table id=\"quality-profile\" class=\"text\"><tr><th>file</th><th>finding</th><th>rows</th></tr>");
            foreach (var row in profile.Rows)
                html.Append($"<tr><td>{E(Convert.ToString(row[0], CultureInfo.InvariantCulture) ?? "")}</td>" +
                            $"<td>{E(Convert.ToString(row[1], CultureInfo.InvariantCulture) ?? "")}</td>" +
                            $"<td class=\"n\">{Convert.ToInt64(row[2], CultureInfo.InvariantCulture):N0}</td></tr>");
            html.Append("</table>");
        }
        html.Append("</section>");
    }

    private static void Fact(StringBuilder html, string label, long value) =>
        html.Append($"<div class=\"fact\" data-fact=\"{label}\"><b>{value.ToString("N0", CultureInfo.InvariantCulture)}</b>" +
                    $"<span>{label}</span></div>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
