using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NextEleven.Api.Tests.Infrastructure;

namespace NextEleven.Api.Tests.Operations;

/// <summary>
/// A real Prometheus (Debian's) scraping the real service's management listener: the counters an
/// operator alerts on are read back through Prometheus' query API, and every dashboard query runs.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string Key = NextElevenApiFactory.TestApiKey;
    private const string PrometheusPath = "/usr/bin/prometheus";

    [ToolFact(PrometheusPath, "prometheus")]
    public async Task PrometheusReadsBack401sAnd429sFromTheManagementListenerOnly()
    {
        using var folder = new TempFolder();
        var managementPort = LoopbackPort.Free();
        await using var service = ServiceProcess.StartInProduction(folder.Path, new Dictionary<string, string?>
        {
            ["NEXTELEVEN_API_KEY"] = Key,
            ["RateLimit__PermitLimit"] = "4",
            ["Management__Urls"] = $"http://127.0.0.1:{managementPort}",
            // A dollar per input token of the offline responder, output free: each call costs $1 (one input token).
            ["Chat__Prices__nexteleven-offline-echo__Input"] = "1000000",
            ["Chat__Prices__nexteleven-offline-echo__Output"] = "0",
            ["RateLimit__Spend__Limit"] = "100",
        });
        using var api = await service.WaitUntilListeningAsync();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}") };

        using var publicScrape = await api.GetAsync("/metrics");
        var spoofedHost = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        spoofedHost.Headers.Host = $"127.0.0.1:{managementPort}";
        using var publicScrapeWithHost = await api.SendAsync(spoofedHost);
        using var scrape = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, publicScrape.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, publicScrapeWithHost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);

        // From one address with no valid key: 4 admitted to their 401 (2 missing, 2 invalid), then 2 refused with 429.
        for (var i = 0; i < 3; i++)
        {
            (await api.SendAsync(HttpRequests.Chat("""{"message":"Hi"}"""))).Dispose();
            (await api.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", "wrong-key-" + i))).Dispose();
        }
        // With the key: 4 answered, 1 refused with 429.
        for (var i = 0; i < 5; i++)
        {
            (await api.SendAsync(HttpRequests.Chat("""{"message":"Hi"}""", Key))).Dispose();
        }

        await using var prometheus = await Prometheus.StartAsync(managementPort);
        Assert.Equal(2, await prometheus.WaitForValueAsync("""sum(nexteleven_auth_rejections_total{reason="missing"})""", 2));
        Assert.Equal(2, await prometheus.WaitForValueAsync("""sum(nexteleven_auth_rejections_total{reason="invalid"})""", 2));
        Assert.Equal(1, await prometheus.WaitForValueAsync("""sum(nexteleven_rate_limit_requests_total{client="default",result="rejected"})""", 1));
        Assert.Equal(2, await prometheus.WaitForValueAsync("""sum(nexteleven_rate_limit_requests_total{client="anonymous",result="rejected"})""", 2));
        Assert.Equal(1, await prometheus.WaitForValueAsync("""sum(nexteleven_ready)""", 1));
        // Four answers of the offline responder to "Hi": one input token each.
        Assert.Equal(4, await prometheus.WaitForValueAsync("""sum(nexteleven_chat_tokens_total{client="default",direction="input"})""", 4));
        Assert.Equal(4, await prometheus.WaitForValueAsync("""sum(nexteleven_chat_cost_usd_total{client="default"})""", 4));
        // $4 of a $100 spend budget.
        Assert.Equal(0.04, await prometheus.WaitForValueAsync("""max(nexteleven_spend_budget_used_ratio{client="default"})""", 0.04));
        Assert.Equal(1, await prometheus.WaitForValueAsync("""sum(nexteleven_rate_limit_store{store="memory"})""", 1));

        // Every query of the shipped dashboard parses and runs against the real series.
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy/grafana/nexteleven.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(target => target.GetProperty("expr").GetString()!))
            .ToList();
        Assert.NotEmpty(queries);
        foreach (var query in queries)
        {
            var (status, error) = await prometheus.QueryStatusAsync(query.Replace("$__rate_interval", "1m", StringComparison.Ordinal));
            Assert.True(status == "success", $"{query}: {error}");
        }
    }

    /// <summary>Prometheus on a loopback port of its own, scraping the management listener every second.</summary>
    private sealed class Prometheus : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TempFolder _folder;
        private readonly HttpClient _client;

        private Prometheus(Process process, TempFolder folder, int port)
        {
            _process = process;
            _folder = folder;
            _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public static async Task<Prometheus> StartAsync(int target)
        {
            var folder = new TempFolder().Write("prometheus.yml", $$"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: nexteleven
                    static_configs:
                      - targets: ["127.0.0.1:{{target}}"]
                """);
            var port = LoopbackPort.Free();
            var process = Process.Start(new ProcessStartInfo(PrometheusPath)
            {
                ArgumentList =
                {
                    $"--config.file={Path.Combine(folder.Path, "prometheus.yml")}",
                    $"--storage.tsdb.path={Path.Combine(folder.Path, "data")}",
                    $"--web.listen-address=127.0.0.1:{port}",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var prometheus = new Prometheus(process, folder, port);
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    using var ready = await prometheus._client.GetAsync("/-/ready");
                    if (ready.IsSuccessStatusCode)
                    {
                        return prometheus;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200);
            }
            await prometheus.DisposeAsync();
            throw new TimeoutException("Prometheus did not become ready");
        }

        /// <summary>The query's single value once it reaches <paramref name="expected"/>, or the last value after 30 s.</summary>
        public async Task<double> WaitForValueAsync(string query, double expected)
        {
            var value = double.NaN;
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                using var document = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)));
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() == 1)
                {
                    value = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                    if (value == expected)
                    {
                        break;
                    }
                }
                await Task.Delay(250);
            }
            return value;
        }

        public async Task<(string Status, string? Error)> QueryStatusAsync(string query)
        {
            using var response = await _client.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (document.RootElement.GetProperty("status").GetString()!,
                document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            _folder.Dispose();
        }
    }
}
