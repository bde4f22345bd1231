using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace GameData.Tests.Reporting;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol with a plain WebSocket: navigate,
/// evaluate, collect console errors and network requests, take a screenshot.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    private readonly List<JsonNode> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;
    private Task _receiving = Task.CompletedTask;

    private HeadlessChromium(Process process, TempFolder profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string? Executable() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Skips the test where there is no Chromium, except under CI, where .ci/run installs it.</summary>
    public static string Require()
    {
        if (Executable() is { } path) return path;
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1") Assert.Fail("Chromium is required under CI (.ci/run installs Debian's chromium)");
        Assert.Ignore("Chromium not installed here (apt-get install chromium); the browser test is skipped");
        return "";
    }

    public static async Task<HeadlessChromium> StartAsync(string executable)
    {
        var profile = new TempFolder();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", $"--user-data-dir={profile.Path}", "about:blank" })
            start.ArgumentList.Add(flag);
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        var portFile = profile.File("DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited) throw new InvalidOperationException("Chromium did not start");
            await Task.Delay(50);
        }
        var port = (await File.ReadAllLinesAsync(portFile))[0];
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
        await browser._socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
        browser._receiving = browser.Receive();
        return browser;
    }

    public IReadOnlyList<JsonNode> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (answer["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return answer["result"]!;
    }

    public async Task<T> EvaluateAsync<T>(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        return result["result"]!["value"]!.GetValue<T>();
    }

    /// <summary>Waits for an event the page sends, e.g. Page.loadEventFired.</summary>
    public async Task WaitForEventAsync(string method)
    {
        var clock = Stopwatch.StartNew();
        while (!Events.Any(e => e["method"]?.GetValue<string>() == method))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"no {method}");
            await Task.Delay(20);
        }
    }

    private async Task Receive()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult part;
            try { part = await _socket.ReceiveAsync(buffer, _stop.Token); }
            catch (Exception) { return; }
            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage) continue;
            var node = JsonNode.Parse(message.ToArray())!;
            message.SetLength(0);
            if (node["id"] is { } id)
            {
                TaskCompletionSource<JsonNode>? reply;
                lock (_pending) _pending.Remove(id.GetValue<int>(), out reply);
                reply?.TrySetResult(node);
            }
            else lock (_events) _events.Add(node);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _socket.Dispose();
        _process.Dispose();
        _profile.Dispose();
    }
}
