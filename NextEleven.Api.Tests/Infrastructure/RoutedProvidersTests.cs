namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>
/// Tests against two real loopback providers speaking OpenAI's wire format, named <c>first</c> and
/// <c>second</c>, with public model <c>grok-4</c> routed to <c>first/grok-first</c>, then
/// <c>second/grok-second</c>. Each test gets its own pair and switches their replies as it goes.
/// </summary>
public abstract class RoutedProvidersTests : IAsyncLifetime
{
    public const string FirstTarget = "first/grok-first";
    public const string SecondTarget = "second/grok-second";
    public const string FirstProviderKey = "first-provider-key-stays-on-the-server";
    public const string SecondProviderKey = "second-provider-key-stays-on-the-server";

    protected FakeProvider First { get; private set; } = null!;

    protected FakeProvider Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = await FakeProvider.StartAsync();
        Second = await FakeProvider.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }

    /// <summary>
    /// The service in process, routed to both providers (no retries on the same target, so every call a
    /// provider receives is one attempt), with <paramref name="settings"/> on top. Breaks pass on the
    /// factory's fake clock (<see cref="NextElevenApiFactory.Time"/>).
    /// </summary>
    protected NextElevenApiFactory Routed(params (string Key, string Value)[] settings) => Routed(systemClock: false, settings);

    /// <summary>As <see cref="Routed(ValueTuple{string, string}[])"/>, on the system clock when <paramref name="systemClock"/>: breaks pass in real time.</summary>
    protected NextElevenApiFactory Routed(bool systemClock, params (string Key, string Value)[] settings)
    {
        var factory = new NextElevenApiFactory
        {
            UseSystemClock = systemClock,
            Settings =
            {
                // Many calls from one key: the request limit stays out of the way.
                ["RateLimit:PermitLimit"] = "100000",
                ["Chat:Providers:first:Endpoint"] = First.Endpoint.ToString(),
                ["Chat:Providers:first:ApiKey"] = FirstProviderKey,
                ["Chat:Providers:first:MaxRetries"] = "0",
                ["Chat:Providers:second:Endpoint"] = Second.Endpoint.ToString(),
                ["Chat:Providers:second:ApiKey"] = SecondProviderKey,
                ["Chat:Providers:second:MaxRetries"] = "0",
                ["Chat:Models:grok-4:Targets:0"] = FirstTarget,
                ["Chat:Models:grok-4:Targets:1"] = SecondTarget,
                ["Chat:Model"] = "grok-4",
            },
        };
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        return factory;
    }
}
