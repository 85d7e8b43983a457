using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// The built service run as a real process (<c>dotnet NextEleven.Api.dll</c>) from a folder of the
/// test's choosing, as an operator runs it: its own environment, its own .env files, a real port.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string urls)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NextEleven.Api.dll"));
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(urls);
        // Start from a clean slate: nothing the test runner's own environment holds may configure the service.
        foreach (var inherited in startInfo.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException("the service exited"));
    }

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts the service; it listens on a free loopback port unless <paramref name="urls"/> says otherwise.</summary>
    public static ServiceProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment,
        string urls = "http://127.0.0.1:0")
    {
        var service = new ServiceProcess(workingDirectory, environment, urls);
        service._process.Start();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Starts the service as it ships (<c>ASPNETCORE_ENVIRONMENT=Production</c>) with <paramref name="settings"/> on top.</summary>
    public static ServiceProcess StartInProduction(string workingDirectory, IReadOnlyDictionary<string, string?>? settings = null,
        string urls = "http://127.0.0.1:0")
    {
        var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        return Start(workingDirectory, environment, urls);
    }

    /// <summary>A client for the running service, once it says where it listens.</summary>
    public async Task<HttpClient> WaitUntilListeningAsync()
    {
        var address = await _listening.Task.WaitAsync(StartTimeout);
        return new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Waits for a line containing <paramref name="part"/>: logs leave the process in batches, a moment after the event.</summary>
    public async Task<bool> WaitForOutputAsync(string part, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!StandardOutput.Contains(part, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>Asks the service to stop as an orchestrator does: SIGTERM.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code, for a service expected to stop by itself.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("NEXTELEVEN_", StringComparison.OrdinalIgnoreCase)
        || name.Contains("__", StringComparison.Ordinal)
        || name is "GROK_API_KEY" or "XAI_API_KEY";

    private void OnLine(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (buffer)
        {
            buffer.AppendLine(line);
        }
        if (line.Contains("Now listening on", StringComparison.Ordinal) && ListeningAddress().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Value));
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningAddress();
}
