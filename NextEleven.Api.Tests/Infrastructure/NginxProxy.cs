using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// Debian's nginx as a reverse proxy in front of a service, on a loopback port of its own, with the
/// forwarding directives a test gives it. Runs in the foreground from a folder of its own and is
/// stopped with the test.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly TempFolder _folder;

    private NginxProxy(Process process, TempFolder folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <param name="upstream">The service's address, as http://127.0.0.1:port.</param>
    /// <param name="forwarding">Directives inside the location, such as <c>proxy_set_header X-Real-IP $remote_addr;</c>.</param>
    public static async Task<NginxProxy> StartAsync(Uri upstream, string forwarding)
    {
        var folder = new TempFolder();
        var port = TestRedis.FreePort();
        Directory.CreateDirectory(Path.Combine(folder.Path, "logs"));
        folder.Write("nginx.conf", $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            error_log {{folder.Path}}/logs/error.log warn;
            pid {{folder.Path}}/nginx.pid;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{folder.Path}}/client_body;
                proxy_temp_path {{folder.Path}}/proxy;
                fastcgi_temp_path {{folder.Path}}/fastcgi;
                uwsgi_temp_path {{folder.Path}}/uwsgi;
                scgi_temp_path {{folder.Path}}/scgi;
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass {{upstream.GetLeftPart(UriPartial.Authority)}};
                        {{forwarding}}
                    }
                }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(ExecutablePath)
        {
            ArgumentList = { "-p", folder.Path, "-c", Path.Combine(folder.Path, "nginx.conf"), "-g", "daemon off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new NginxProxy(process, folder, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A client that reaches nginx from <paramref name="source"/>, another loopback address, as a distinct caller would.</summary>
    public HttpClient ClientFrom(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _folder.Dispose();
    }
}
