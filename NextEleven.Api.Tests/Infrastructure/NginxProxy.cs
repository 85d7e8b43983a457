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

    /// <summary>nginx proxying to one service, with the forwarding directives a test gives it.</summary>
    /// <param name="upstream">The service's address, as http://127.0.0.1:port.</param>
    /// <param name="forwarding">Directives inside the location, such as <c>proxy_set_header X-Real-IP $remote_addr;</c>.</param>
    public static Task<NginxProxy> StartAsync(Uri upstream, string forwarding) => StartWithAsync(port => $$"""
        server {
            listen 127.0.0.1:{{port}};
            location / {
                proxy_pass {{upstream.GetLeftPart(UriPartial.Authority)}};
                {{forwarding}}
            }
        }
        """);

    /// <summary>nginx with the given contents of its <c>http</c> block, which must listen on the port it is handed.</summary>
    public static async Task<NginxProxy> StartWithAsync(Func<int, string> httpBlock)
    {
        var folder = new TempFolder();
        var port = LoopbackPort.Free();
        Directory.CreateDirectory(Path.Combine(folder.Path, "logs"));
        folder.Write("nginx.conf", Configuration(folder.Path, httpBlock(port)));
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

    /// <summary>A whole nginx.conf around an http block, with every path inside <paramref name="folder"/>.</summary>
    public static string Configuration(string folder, string httpBlock) => $$"""
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        worker_processes 1;
        error_log {{folder}}/logs/error.log warn;
        pid {{folder}}/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            {{httpBlock}}
        }
        """;

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
