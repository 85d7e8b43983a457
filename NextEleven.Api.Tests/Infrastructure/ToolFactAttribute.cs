namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// A test that runs a Debian tool (nginx, promtool, prometheus, systemd-analyze). Where the tool is
/// missing the test is skipped, decided when the tests are discovered, with how to install it; CI
/// (.ci/run) installs them.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string executable, string package)
    {
        if (!File.Exists(executable))
        {
            Skip = $"{executable} is not installed: run 'apt-get install -y {package}' to run this test.";
        }
    }
}
