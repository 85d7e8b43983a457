using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace NextEleven.Api.Providers;

/// <summary>
/// The public models and the targets that answer each, in order, built once at start from <c>Chat</c>:
/// the named providers and routes, or the one provider configured the old way, routed as
/// <c>&lt;its label&gt;/&lt;model&gt;</c> for each model a request may name. One breaker per target, shared by
/// every public model routed to it.
/// </summary>
internal sealed class ChatRoutes
{
    /// <summary>The HttpClient every provider's client sends through.</summary>
    public const string ProviderHttpClient = "chat-provider";

    /// <summary>The ActivitySource and Meter name of the chat telemetry, for an OpenTelemetry exporter to subscribe to.</summary>
    public const string TelemetrySourceName = "NextEleven.Api.Chat";

    private readonly Dictionary<string, IReadOnlyList<ChatTarget>> _routes = new(StringComparer.Ordinal);

    public ChatRoutes(IOptions<ChatProviderOptions> options, IServiceProvider services, TimeProvider time)
    {
        var settings = options.Value;
        var targets = new Dictionary<string, ChatTarget>(StringComparer.Ordinal);
        if (settings.Providers.Count == 0)
        {
            // The one provider of the old settings: its client is the IChatClient the chat layer registers.
            var client = services.GetRequiredService<IChatClient>();
            var host = settings.IsEcho ? null : settings.Endpoint.Host;
            foreach (var model in settings.Models)
            {
                var target = new ChatTarget(settings.ProviderLabel, model, client, new TargetBreaker(settings.Breaker, time), settings.Timeout, host,
                    settings.PriceOf(settings.ProviderLabel + "/" + model, model));
                targets[target.Name] = target;
                _routes[model] = [target];
            }
        }
        else
        {
            var clients = settings.Providers.ToDictionary(p => p.Key, p => CreateClient(services, p.Value, settings), StringComparer.Ordinal);
            foreach (var (publicModel, route) in settings.Routes)
            {
                _routes[publicModel] = [.. route.Targets.Select(name =>
                {
                    if (!targets.TryGetValue(name, out var target))
                    {
                        var (provider, model) = Split(name);
                        var configured = settings.Providers[provider];
                        target = new ChatTarget(provider, model, clients[provider], new TargetBreaker(settings.Breaker, time),
                            configured.Timeout ?? settings.Timeout, configured.Endpoint!.Host, settings.PriceOf(name, model));
                        targets[name] = target;
                    }
                    return target;
                })];
            }
        }
        Targets = [.. targets.Values];
    }

    /// <summary>Every target, once each.</summary>
    public IReadOnlyList<ChatTarget> Targets { get; }

    /// <summary>Every public model with its targets, in the order they are tried.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ChatTarget>> Models => _routes;

    /// <summary>The targets of a public model, in the order they are tried.</summary>
    public IReadOnlyList<ChatTarget> For(string publicModel) => _routes[publicModel];

    /// <summary>A target name split at its first '/': the provider, then the model (which may hold '/').</summary>
    public static (string Provider, string Model) Split(string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (target, string.Empty) : (target[..slash], target[(slash + 1)..]);
    }

    /// <summary>
    /// An OpenAI-compatible endpoint's client. The library's logging middleware is added only when an
    /// operator turns its category up to Debug: otherwise it would add an Error with a stack trace to every
    /// provider failure (a 429 burst included) beside the one line the chat layer writes.
    /// </summary>
    public static IChatClient CreateClient(IServiceProvider services, Uri endpoint, string apiKey, string model, int maxRetries)
    {
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(ProviderHttpClient);
        IChatClient client = new OpenAiCompatibleChatClient(httpClient, endpoint, apiKey, model, maxRetries);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<LoggingChatClient>();
        return logger.IsEnabled(LogLevel.Debug) ? new LoggingChatClient(client, logger) : client;
    }

    private static IChatClient CreateClient(IServiceProvider services, NamedProviderOptions provider, ChatProviderOptions settings) =>
        CreateClient(services, provider.Endpoint!, provider.ApiKey!, settings.Model!, provider.MaxRetries ?? NamedProviderOptions.DefaultMaxRetries);
}
