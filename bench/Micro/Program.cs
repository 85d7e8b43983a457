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
    private ClientKey _known;
    private uint _next = 0x0B000000;

    [GlobalSetup]
    public void Setup()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        // A cap far above what a run creates, so every new client really is tracked.
        _store = new MemoryRateLimitStore(Options.Create(new RateLimitOptions { MaxTrackedClients = int.MaxValue }),
            TimeProvider.System, new RateLimitMetrics(meters), NullLogger<MemoryRateLimitStore>.Instance);
        _policy = new RateLimitPolicy("default", int.MaxValue, TimeSpan.FromDays(1));
        _known = ClientKey.FromAddress(IPAddress.Parse("192.0.2.1"));
        _store.Take(_policy, _known, 1);
    }

    [Benchmark(Description = "decision, known client")]
    public bool KnownClient() => _store.Take(_policy, _known, 1).IsTaken;

    [Benchmark(Description = "decision, new client")]
    public bool NewClient() => _store.Take(_policy, ClientKey.FromAddress(new IPAddress(_next++)), 1).IsTaken;
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
                Keys = [.. chunk.Select(key => new ClientKeyJson { Hash = KeyDigest.Of(key).ToString(), Prefix = key[..7] })],
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
    public ApiKeyOutcome Valid() => _authenticator.Authenticate(_valid).Outcome;

    [Benchmark(Description = "key check, wrong key")]
    public ApiKeyOutcome Invalid() => _authenticator.Authenticate(_invalid).Outcome;
}
