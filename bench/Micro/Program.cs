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

[MemoryDiagnoser]
public class KeyCheck
{
    private ApiKeyAuthenticator _authenticator = null!;
    private HeaderDictionary _valid = null!;
    private HeaderDictionary _invalid = null!;

    [GlobalSetup]
    public void Setup()
    {
        const string key = "bench-key-5f0c1e9a7b3d4c2e8f6a0b1c2d3e4f5a";
        _authenticator = new ApiKeyAuthenticator(Options.Create(new ApiKeyOptions { ApiKey = key }));
        _valid = new HeaderDictionary { ["X-API-Key"] = key };
        _invalid = new HeaderDictionary { ["X-API-Key"] = "bench-key-wrong-guess-000000000000000000" };
    }

    [Benchmark(Description = "key check, valid key")]
    public ApiKeyOutcome Valid() => _authenticator.Authenticate(_valid).Outcome;

    [Benchmark(Description = "key check, wrong key")]
    public ApiKeyOutcome Invalid() => _authenticator.Authenticate(_invalid).Outcome;
}
