namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// Tests against a real loopback provider speaking OpenAI's wire format (<see cref="FakeProvider"/>):
/// each test gets its own, started before it and stopped after, so no reply set by one test reaches another.
/// </summary>
public abstract class FakeProviderTests : IAsyncLifetime
{
    /// <summary>The server's own provider key: it must reach the provider and nothing else.</summary>
    public const string ProviderKey = "xai-provider-key-must-stay-on-the-server-0123";

    protected FakeProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync() => Provider = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await Provider.DisposeAsync();

    /// <summary>The service in process, aimed at this test's provider, with <paramref name="settings"/> on top.</summary>
    protected NextElevenApiFactory FactoryFor(params (string Key, string Value)[] settings)
    {
        var factory = new NextElevenApiFactory
        {
            Settings =
            {
                // GROK_API_KEY alone selects the OpenAI-compatible provider, as in the original service.
                ["GROK_API_KEY"] = ProviderKey,
                ["Chat:Endpoint"] = Provider.Endpoint.ToString(),
                ["Chat:Model"] = FakeProvider.Model,
            },
        };
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        return factory;
    }
}
