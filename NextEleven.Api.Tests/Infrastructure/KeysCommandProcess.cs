using System.Diagnostics;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>The built service's commands (<c>keys</c>, <c>usage</c>) run as an operator runs them: <c>dotnet NextEleven.Api.dll keys …</c>.</summary>
public static class KeysCommandProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Outcome> RunAsync(string workingDirectory, string[] arguments, string? standardInput = null,
        string command = "keys", IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NextEleven.Api.dll"));
        startInfo.ArgumentList.Add(command);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var inherited in startInfo.Environment.Keys.Where(name => name.Contains("__", StringComparison.Ordinal)
            || name.StartsWith("NEXTELEVEN_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteLineAsync(standardInput);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new Outcome(process.ExitCode, await output, await error);
    }
}
