// Measures the rate limiter at scale, in process: managed heap per tracked client after a flood of
// distinct client addresses, the cost of a decision for a new and for a known client, and the CPU the
// process burns while idle afterwards. Usage: dotnet run -c Release --project bench/LimiterScale -- [clients]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NextEleven.Api.RateLimiting;

var clients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
var policy = new FixedWindowPolicy("default", 100, TimeSpan.FromHours(1), maxTrackedClients: clients, TimeProvider.System,
    new RateLimitMetrics(meters), NullLogger.Instance);

var keys = new ClientKey[clients];
for (var i = 0; i < clients; i++)
{
    // Distinct IPv4 addresses from 10.0.0.0 upwards, as an address-spraying flood would send.
    keys[i] = ClientKey.FromAddress(new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder(0x0A000000 + i))));
}

var heapBefore = Heap();
var stopwatch = Stopwatch.StartNew();
foreach (var key in keys)
{
    policy.Acquire(key);
}
var newClientNs = stopwatch.Elapsed.TotalNanoseconds / clients;
var heapAfter = Heap();

stopwatch.Restart();
foreach (var key in keys)
{
    policy.Acquire(key);
}
var knownClientNs = stopwatch.Elapsed.TotalNanoseconds / clients;

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var idle = Stopwatch.StartNew();
Thread.Sleep(TimeSpan.FromSeconds(10));
process.Refresh();
var idleCpuPercent = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / idle.Elapsed.TotalMilliseconds * 100;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    tracked clients:               {policy.TrackedClients:N0}
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
