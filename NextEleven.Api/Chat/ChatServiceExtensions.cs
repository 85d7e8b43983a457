using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace NextEleven.Api.Chat;

/// <summary>Registers the chat layer: the provider client and its middleware, the service, the validator and the pipeline.</summary>
internal static class ChatServiceExtensions
{
    public const string ProviderHttpClient = "chat-provider";

    /// <summary>The ActivitySource and Meter name of the chat telemetry, for an OpenTelemetry exporter to subscribe to.</summary>
    public const string TelemetrySourceName = "NextEleven.Api.Chat";

    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatProviderOptions>()
            .BindConfiguration(ChatProviderOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<ChatProviderOptions>, ChatProviderOptionsSetup>();
        builder.Services.AddSingleton<IValidateOptions<ChatProviderOptions>, ChatProviderOptionsValidator>();

        // No HttpClient timeout or retry here: Chat:Timeout and the SDK's retry policy own both. The chat
        // client is a singleton holding this HttpClient, so connections are recycled by the handler itself
        // (picking up DNS changes) rather than by the factory's handler rotation.
        // The HttpClient's own logging is off for the provider: at Trace it writes every request header as
        // a structured property, the provider key among them, unredacted whatever RedactLoggedHeaders says
        // (it redacts only the rendered text). A failed provider call is logged once, by ProviderErrors.
        builder.Services.AddHttpClient(ProviderHttpClient, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        // For a real provider, the library's OpenTelemetry middleware (gen_ai spans and token metrics, free
        // when nothing listens), outside the boundary that strips provider bodies from failures. It logs
        // nothing, and the library's logging middleware is there only when an operator turns its category
        // up to Debug: otherwise each would add an Error or Warning with a stack trace to every provider
        // failure (a 429 burst included) beside the one line ProviderErrors writes. The offline responder
        // needs none of it and answers on the hot path without.
        builder.Services.AddChatClient(CreateProviderClient)
            .Use(inner => inner is EchoChatClient ? inner : new OpenTelemetryChatClient(inner, logger: null, TelemetrySourceName))
            .Use((inner, services) =>
            {
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<LoggingChatClient>();
                return inner is EchoChatClient || !logger.IsEnabled(LogLevel.Debug) ? inner : new LoggingChatClient(inner, logger);
            })
            .Use(inner => inner is EchoChatClient ? inner : new ProviderErrorBoundary(inner));
        builder.Services.AddSingleton<ChatService>();
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton<ChatRequestValidator>();
        builder.Services.AddSingleton<ChatPipeline>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ChatJsonContext.Default));
        return builder;
    }

    /// <summary>The configured provider: the offline responder, or the official OpenAI SDK aimed at any compatible endpoint.</summary>
    private static IChatClient CreateProviderClient(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
        if (options.IsEcho)
        {
            return new EchoChatClient();
        }
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(ProviderHttpClient);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ProviderRetryPolicy(options.MaxRetries),
            NetworkTimeout = options.Timeout,
        };
        return new OpenAI.Chat.ChatClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions).AsIChatClient();
    }
}
