using System.Text.Json.Nodes;
using GameData.Reporting;
using GameData.Tests.Loading;

namespace GameData.Tests.Reporting;

/// <summary>The report, opened in headless Chromium: every chart drawn with data, nothing logged, nothing fetched.</summary>
[Parallelizable(ParallelScope.Self)]
public class ReportBrowserTests
{
    [Test]
    public async Task Every_chart_renders_with_data_and_the_page_logs_no_errors()
    {
        var chromium = HeadlessChromium.Require();
        using var output = new TempFolder();
        var report = ReportBuilder.Build(TestDatasets.Default, output.File("report.html"));

        await using var browser = await HeadlessChromium.StartAsync(chromium);
        await browser.SendAsync("Runtime.enable");
        await browser.SendAsync("Log.enable");
        await browser.SendAsync("Network.enable");
        await browser.SendAsync("Page.enable");
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 1280, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        await browser.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(report).AbsoluteUri });
        await browser.WaitForEventAsync("Page.loadEventFired");

        var charts = JsonNode.Parse(await browser.EvaluateAsync<string>("""
            JSON.stringify([...document.querySelectorAll('figure.chart')].map(f => {
              const marks = [...f.querySelectorAll('svg .mark')];
              const drawn = marks.filter(m => { const b = m.getBBox(); return b.width > 0 && b.height > 0; });
              return { id: f.id, expected: Number(f.dataset.marks), marks: marks.length, drawn: drawn.length,
                       width: f.querySelector('svg').getBoundingClientRect().width,
                       title: f.querySelector('h2').textContent, rows: f.querySelectorAll('table tbody tr').length,
                       axisLabels: f.querySelectorAll('svg .axis-label').length };
            }))
            """))!.AsArray();

        Assert.That(charts.Select(c => c!["id"]!.GetValue<string>()), Is.EquivalentTo(ReportCharts.Ids));
        foreach (var chart in charts)
        {
            var id = chart!["id"]!.GetValue<string>();
            Assert.That(chart["marks"]!.GetValue<int>(), Is.EqualTo(chart["expected"]!.GetValue<int>()).And.GreaterThan(0), id);
            Assert.That(chart["drawn"]!.GetValue<int>(), Is.GreaterThan(0), $"{id}: marks with a visible size");
            Assert.That(chart["width"]!.GetValue<double>(), Is.GreaterThan(600), id);
            Assert.That(chart["rows"]!.GetValue<int>(), Is.GreaterThan(0), $"{id}: table view");
            Assert.That(chart["axisLabels"]!.GetValue<int>(), Is.EqualTo(2), $"{id}: both axes labelled");
            Assert.That(chart["title"]!.GetValue<string>(), Is.Not.Empty, id);
        }

        var errors = browser.Events.Where(e => e["method"]?.GetValue<string>() switch
        {
            "Runtime.exceptionThrown" => true,
            "Runtime.consoleAPICalled" => e["params"]!["type"]!.GetValue<string>() is "error" or "warning" or "assert",
            "Log.entryAdded" => e["params"]!["entry"]!["level"]!.GetValue<string>() is "error" or "warning",
            _ => false,
        }).Select(e => e.ToJsonString()).ToList();
        Assert.That(errors, Is.Empty, "the page logged errors");
        var requests = browser.Events.Where(e => e["method"]?.GetValue<string>() == "Network.requestWillBeSent")
            .Select(e => e["params"]!["request"]!["url"]!.GetValue<string>()).ToList();
        Assert.That(requests, Is.EqualTo(new[] { new Uri(report).AbsoluteUri }), "works offline: the page fetches nothing");

        var height = await browser.EvaluateAsync<double>("document.documentElement.scrollHeight");
        var shot = await browser.SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png", ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = 1280, ["height"] = height, ["scale"] = 1 },
        });
        var png = Convert.FromBase64String(shot["data"]!.GetValue<string>());
        Assert.That(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), Is.True, "a PNG");
        var artifacts = Path.Combine(TestContext.CurrentContext.WorkDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "report-screenshot.png");
        await File.WriteAllBytesAsync(screenshot, png);
        TestContext.AddTestAttachment(screenshot, "the report as Chromium drew it");
    }
}
