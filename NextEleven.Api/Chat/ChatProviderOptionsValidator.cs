using Microsoft.Extensions.Options;

namespace NextEleven.Api.Chat;

/// <summary>Refuses to start with a provider that cannot work, naming the setting to fix.</summary>
internal sealed class ChatProviderOptionsValidator : IValidateOptions<ChatProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatProviderOptions options)
    {
        var failures = new List<string>();
        if (!options.IsEcho && options.Provider != ChatProviderOptions.OpenAiProvider)
        {
            failures.Add($"Chat:Provider must be 'echo' or 'openai', not '{options.Provider}'.");
        }
        else if (!options.IsEcho)
        {
            if (options.ApiKey is null)
            {
                failures.Add("Chat:Provider is 'openai' but no provider key is set: set GROK_API_KEY (xAI), XAI_API_KEY or Chat:ApiKey. A local server that needs none (Ollama) takes any value.");
            }
            if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("Chat:Endpoint must be an absolute http(s) URL such as https://api.x.ai/v1.");
            }
            if (options.Model is null)
            {
                failures.Add("Chat:Model is required when Chat:Endpoint is not xAI (for example gpt-4o-mini on OpenAI, llama3.2 on Ollama).");
            }
        }
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(30))
        {
            failures.Add("Chat:Timeout must be between 00:00:00.001 and 00:30:00.");
        }
        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("Chat:MaxRetries must be from 0 to 10.");
        }
        if (options.MaxOutputTokens < 1)
        {
            failures.Add("Chat:MaxOutputTokens must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
