using Microsoft.Extensions.Options;

namespace NextEleven.Api.Providers;

/// <summary>
/// Fills in what the original service's variables imply: <c>GROK_API_KEY</c> (or <c>XAI_API_KEY</c>) is
/// the provider key when <c>Chat:ApiKey</c> is unset, a provider key alone selects the OpenAI-compatible
/// provider (xAI by default), and each provider gets its default model.
/// </summary>
internal sealed class ChatProviderOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<ChatProviderOptions>
{
    public const string GrokKeyVariable = "GROK_API_KEY";
    public const string XaiKeyVariable = "XAI_API_KEY";

    public void PostConfigure(string? name, ChatProviderOptions options)
    {
        if (options.HasNamedProviders)
        {
            // Named providers say everything themselves; the old variables describe the one provider of the simple case.
            options.Model = FirstNonBlank(options.Model);
            return;
        }
        options.ApiKey = FirstNonBlank(options.ApiKey, configuration[GrokKeyVariable], configuration[XaiKeyVariable]);
        options.Provider = FirstNonBlank(options.Provider)?.ToLowerInvariant()
            ?? (options.ApiKey is null ? EchoChatClient.ProviderName : ChatProviderOptions.OpenAiProvider);
        options.Model = FirstNonBlank(options.Model)
            ?? (options.IsEcho ? EchoChatClient.ModelName
                : IsXai(options.Endpoint) ? ChatProviderOptions.DefaultXaiModel
                : null);
    }

    internal static bool IsXai(Uri endpoint) => endpoint.Host == "api.x.ai";

    private static string? FirstNonBlank(params string?[] values) =>
        values.Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
