// One rate-limit decision and one key check, in process, with BenchmarkDotNet.
// Usage: dotnet run -c Release --project bench/Micro
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting.Internal;
using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;

var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("short")).WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(LimiterDecision).Assembly).Run(args.Length > 0 ? args : ["--filter", "*"], config);

[MemoryDiagnoser]
public class LimiterDecision
{
    private MemoryRateLimitStore _store = null!;
    private RateLimitPolicy _policy = null!;
    private LimitPartition _known;
    private uint _next = 0x0B000000;

    [GlobalSetup]
    public void Setup()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        // A cap far above what a run creates, so every new client really is tracked.
        _store = new MemoryRateLimitStore(Options.Create(new RateLimitOptions { MaxTrackedClients = int.MaxValue }),
            TimeProvider.System, new RateLimitMetrics(meters), NullLogger<MemoryRateLimitStore>.Instance);
        _policy = new RateLimitPolicy("default", int.MaxValue, TimeSpan.FromDays(1));
        _known = LimitPartition.FromAddress(IPAddress.Parse("192.0.2.1"));
        _store.Take(_policy, _known, 1);
    }

    [Benchmark(Description = "decision, known client")]
    public bool KnownClient() => _store.Take(_policy, _known, 1).IsTaken;

    [Benchmark(Description = "decision, new client")]
    public bool NewClient() => _store.Take(_policy, LimitPartition.FromAddress(new IPAddress(_next++)), 1).IsTaken;
}

/// <summary>
/// The key check with one key and with a hundred thousand: keys are found by their SHA-256 digest in a
/// dictionary, so the cost should not grow with the number of keys.
/// </summary>
[MemoryDiagnoser]
public class KeyCheck
{
    private ApiKeyAuthenticator _authenticator = null!;
    private HeaderDictionary _valid = null!;
    private HeaderDictionary _invalid = null!;
    private string _folder = null!;

    [Params(1, 100_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("nexteleven-keycheck-").FullName;
        var keys = Enumerable.Range(0, Keys).Select(i => $"nx_bench-key-{i:D8}-5f0c1e9a7b3d4c2e8f6a0b1c2d3e4f5a").ToList();
        var file = new ClientsFileJson
        {
            Clients = [.. keys.Chunk(100).Select((chunk, c) => new ClientJson
            {
                Id = $"client-{c}",
                Keys = [.. chunk.Select(key => new ApiKeyJson { Hash = KeyDigest.Of(key).ToString(), Prefix = key[..7] })],
            })],
        };
        ClientsFileEditor.WriteAtomically(Path.Combine(_folder, "clients.json"), file);
        var environment = new HostingEnvironment { EnvironmentName = "Production", ContentRootPath = _folder };
        var registry = new ClientRegistry(Options.Create(new ApiKeyOptions()), Options.Create(new RateLimitOptions()),
            Options.Create(new ClientsOptions { File = "clients.json" }), environment, NullLogger<ClientRegistry>.Instance);
        _authenticator = new ApiKeyAuthenticator(registry, TimeProvider.System);
        _valid = new HeaderDictionary { ["X-API-Key"] = keys[^1] };
        _invalid = new HeaderDictionary { ["X-API-Key"] = "nx_bench-key-wrong-guess-000000000000000000" };
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Description = "key check, valid key")]
    public int Valid() => (int)_authenticator.Identify(_valid, null).KeyOutcome;

    [Benchmark(Description = "key check, wrong key")]
    public int Invalid() => (int)_authenticator.Identify(_invalid, null).KeyOutcome;
}

/// <summary>One request log line formatted as JSON: Serilog's CompactJsonFormatter against the service's UTF-8 writer.</summary>
[MemoryDiagnoser]
public class LogLineFormatting : IDisposable
{
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Serilog.Formatting.Compact.CompactJsonFormatter _serilog = new();
    private readonly StreamWriter _text = new(Stream.Null, new System.Text.UTF8Encoding(false), 64 * 1024);
    private NextEleven.Api.Observability.CompactJsonUtf8Formatter _utf8 = null!;
    private Serilog.Events.LogEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        _utf8 = new NextEleven.Api.Observability.CompactJsonUtf8Formatter(_buffer);
        var template = new Serilog.Parsing.MessageTemplateParser().Parse(
            "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms (request {RequestId}, client {ClientId}, key {KeyId}, address {ClientAddress})");
        _event = new Serilog.Events.LogEvent(DateTimeOffset.UtcNow, Serilog.Events.LogEventLevel.Information, null, template,
        [
            new("RequestMethod", new Serilog.Events.ScalarValue("POST")),
            new("RequestPath", new Serilog.Events.ScalarValue("/api/chat")),
            new("StatusCode", new Serilog.Events.ScalarValue(200)),
            new("Elapsed", new Serilog.Events.ScalarValue(0.4321)),
            new("RequestId", new Serilog.Events.ScalarValue("0HNQEEF3ENV0Q:00000001")),
            new("ClientId", new Serilog.Events.ScalarValue("default")),
            new("KeyId", new Serilog.Events.ScalarValue("key_f30248dc8c35")),
            new("ClientAddress", new Serilog.Events.ScalarValue("127.0.0.1")),
            new("SourceContext", new Serilog.Events.ScalarValue("Serilog.AspNetCore.RequestLoggingMiddleware")),
        ], System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom());
    }

    [Benchmark(Baseline = true, Description = "log line, Serilog CompactJsonFormatter")]
    public void CompactFormatter() => _serilog.Format(_event, _text);

    public void Dispose()
    {
        _text.Dispose();
        _utf8.Dispose();
    }

    [Benchmark(Description = "log line, UTF-8 compact writer")]
    public void Utf8()
    {
        _buffer.ResetWrittenCount();
        _utf8.Write(_event, _buffer);
    }
}
