using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Providers;

namespace NextEleven.Api.Chat;

/// <summary>Registers the chat layer: the provider client and its middleware, the service, the validator and the pipeline.</summary>
internal static class ChatServiceExtensions
{
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatProviderOptions>()
            .BindConfiguration(ChatProviderOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<ChatProviderOptions>, ChatProviderOptionsSetup>();
        builder.Services.AddSingleton<IValidateOptions<ChatProviderOptions>, ChatProviderOptionsValidator>();

        // No HttpClient timeout or retry here: each target's deadline (in the chat layer) and the provider client's retries own both.
        // The provider clients are singletons holding this HttpClient, so connections are recycled by the
        // handler itself (picking up DNS changes) rather than by the factory's handler rotation.
        // The HttpClient's own logging is off for the providers: at Trace it writes every request header as
        // a structured property, the provider key among them, unredacted whatever RedactLoggedHeaders says
        // (it redacts only the rendered text). A failed provider call is logged once, by ProviderErrors.
        builder.Services.AddHttpClient(ChatRoutes.ProviderHttpClient, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            // No cookies and no redirects, as a reverse proxy's handler: a provider's answer is never a page to
            // follow, and each would cost every call its bookkeeping (a cookie jar read and written, a redirect stage).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                UseCookies = false,
                AllowAutoRedirect = false,
            })
            .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        // The one provider of the old settings, as an IChatClient of its own (named providers build theirs
        // in ChatRoutes). The offline responder needs no middleware and answers on the hot path without.
        builder.Services.AddChatClient(CreateSingleProviderClient);
        builder.Services.AddSingleton<ChatRoutes>();
        builder.Services.AddSingleton<ProviderMetrics>();
        builder.Services.AddSingleton<ChatService>();
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton<ChatRequestValidator>();
        builder.Services.AddSingleton<ChatPipeline>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ChatJsonContext.Default));
        return builder;
    }

    /// <summary>The provider of the old settings: the offline responder, or the client of any OpenAI-compatible endpoint.</summary>
    private static IChatClient CreateSingleProviderClient(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
        return options.IsEcho || options.HasNamedProviders
            ? new EchoChatClient()
            : ChatRoutes.CreateClient(services, options.Endpoint, options.ApiKey!, options.Model!, options.MaxRetries);
    }
}
