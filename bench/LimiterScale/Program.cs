// Measures the rate limiter at scale, in process: managed heap per tracked client after a flood of
// distinct client addresses, the cost of a decision for a new and for a known client, and the CPU the
// process burns while idle afterwards. Usage: dotnet run -c Release --project bench/LimiterScale -- [clients]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting;

var clients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
var store = new MemoryRateLimitStore(Options.Create(new RateLimitOptions { MaxTrackedClients = clients }), TimeProvider.System,
    new RateLimitMetrics(meters), NullLogger<MemoryRateLimitStore>.Instance);
var policy = new RateLimitPolicy("default", 100, TimeSpan.FromHours(1));

var keys = new LimitPartition[clients];
for (var i = 0; i < clients; i++)
{
    // Distinct IPv4 addresses from 10.0.0.0 upwards, as an address-spraying flood would send.
    keys[i] = LimitPartition.FromAddress(new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder(0x0A000000 + i))));
}

var heapBefore = Heap();
var stopwatch = Stopwatch.StartNew();
foreach (var key in keys)
{
    store.Take(policy, key, 1);
}
var newClientNs = stopwatch.Elapsed.TotalNanoseconds / clients;
var heapAfter = Heap();

stopwatch.Restart();
foreach (var key in keys)
{
    store.Take(policy, key, 1);
}
var knownClientNs = stopwatch.Elapsed.TotalNanoseconds / clients;

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var idle = Stopwatch.StartNew();
Thread.Sleep(TimeSpan.FromSeconds(10));
process.Refresh();
var idleCpuPercent = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / idle.Elapsed.TotalMilliseconds * 100;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    tracked clients:               {store.TrackedClients(policy):N0}
    managed heap per client:       {(heapAfter - heapBefore) / (double)clients:F1} bytes
    decision, new client:          {newClientNs:F0} ns
    decision, known client:        {knownClientNs:F0} ns
    idle CPU over 10 s afterwards: {idleCpuPercent:F2} % of one core
    """));
GC.KeepAlive(keys);

static long Heap()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}
