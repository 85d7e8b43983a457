using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// The Redis servers the tests use. By default a Garnet server in this process (a real Redis-protocol
/// server with Lua, so <c>dotnet test</c> needs nothing beyond the SDK). When <c>NEXTELEVEN_TEST_REDIS</c>
/// names a server (<c>host:port</c>), the tests use it instead, and tests that stop their server start
/// Redis's own <c>redis-server</c> from the PATH.
/// </summary>
public static class TestRedis
{
    public const string ServerVariable = "NEXTELEVEN_TEST_REDIS";

    private static readonly Lazy<string> SharedServer = new(() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } external
            ? external
            : StartOwn().ConnectionString);

    /// <summary>The server most tests share; each test keeps apart from the others by its own key prefix.</summary>
    public static string ConnectionString => SharedServer.Value;

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix() => $"test-{Guid.NewGuid():N}:";

    /// <summary>A server of this test's own, which it may stop and start again.</summary>
    public static OwnedRedisServer StartOwn() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } && RedisServerProcess.IsInstalled
            ? new OwnedRedisServer(port => new RedisServerProcess(port))
            : new OwnedRedisServer(port => new InProcessGarnet(port));

    /// <summary>A connection of the test's own, to look at what the service wrote.</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString) =>
        await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");

    private sealed class InProcessGarnet : IDisposable
    {
        private readonly GarnetServer _server;

        public InProcessGarnet(int port)
        {
            // Lua on, and each script run as a transaction: atomic, as in Redis.
            _server = new GarnetServer(["--bind", "127.0.0.1", "--port", $"{port}", "--lua", "--lua-transaction-mode",
                "--memory", "256m", "--index", "16m"]);
            _server.Start();
        }

        public void Dispose() => _server.Dispose();
    }

    private sealed class RedisServerProcess : IDisposable
    {
        private readonly Process _process;

        public RedisServerProcess(int port)
        {
            _process = Process.Start(new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--bind", "127.0.0.1", "--port", $"{port}", "--save", "", "--appendonly", "no" },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            _process.BeginOutputReadLine();
            WaitForPort(port);
        }

        public static bool IsInstalled => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "redis-server")));

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }

        private static void WaitForPort(int port)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(50);
                }
            }
        }
    }
}

/// <summary>A Redis server on a port of its own, which a test can stop and start again on the same port.</summary>
public sealed class OwnedRedisServer : IDisposable
{
    private readonly Func<int, IDisposable> _start;
    private IDisposable? _running;

    internal OwnedRedisServer(Func<int, IDisposable> start)
    {
        _start = start;
        Port = LoopbackPort.Free();
        _running = start(Port);
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public void Stop()
    {
        _running?.Dispose();
        _running = null;
    }

    /// <summary>Starts it again on the same port, empty, as after a restart without persistence.</summary>
    public void Start() => _running ??= _start(Port);

    public void Dispose() => Stop();
}
