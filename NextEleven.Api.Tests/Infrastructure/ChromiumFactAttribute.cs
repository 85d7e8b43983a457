namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// A test that drives a real browser: Debian's Chromium, at <c>CHROMIUM_PATH</c> or /usr/bin/chromium.
/// Where it is missing the test is skipped, decided when the tests are discovered, with how to install
/// it; CI (.ci/run) installs it, so nothing is skipped there.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"Chromium is not installed at {ExecutablePath}: run 'apt-get install -y chromium' (or set CHROMIUM_PATH) to run this browser test.";
        }
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";
}
