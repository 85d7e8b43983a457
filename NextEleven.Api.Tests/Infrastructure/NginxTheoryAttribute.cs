namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// A test that puts Debian's nginx in front of the service. Where nginx is missing the test is skipped,
/// decided when the tests are discovered, with how to install it; CI (.ci/run) installs it.
/// </summary>
public sealed class NginxTheoryAttribute : TheoryAttribute
{
    public NginxTheoryAttribute()
    {
        if (!File.Exists(NginxProxy.ExecutablePath))
        {
            Skip = $"nginx is not installed at {NginxProxy.ExecutablePath}: run 'apt-get install -y nginx' to run this test.";
        }
    }
}
