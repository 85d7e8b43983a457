using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NextEleven.Api.Providers;

/// <summary>Refuses to start with a provider that cannot work, naming the setting to fix.</summary>
internal sealed partial class ChatProviderOptionsValidator : IValidateOptions<ChatProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatProviderOptions options)
    {
        var failures = new List<string>();
        if (options.HasNamedProviders)
        {
            NamedProviderProblems(options, failures);
        }
        else if (!options.IsEcho && options.Provider != ChatProviderOptions.OpenAiProvider)
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
        var breaker = options.Breaker;
        if (breaker.Failures is < 1 or > 1000)
        {
            failures.Add("Chat:Breaker:Failures must be from 1 to 1000.");
        }
        if (breaker.Break < TimeSpan.FromSeconds(1) || breaker.Break > TimeSpan.FromHours(1))
        {
            failures.Add("Chat:Breaker:Break must be from 00:00:01 to 01:00:00.");
        }
        if (breaker.MaxBreak < breaker.Break || breaker.MaxBreak > TimeSpan.FromDays(1))
        {
            failures.Add("Chat:Breaker:MaxBreak must be at least Chat:Breaker:Break and at most 1.00:00:00.");
        }
        foreach (var (priced, price) in options.Prices)
        {
            if (price.Input < 0 || price.Output < 0 || price.CachedInput < 0)
            {
                failures.Add($"Chat:Prices:{priced}: Input, Output and CachedInput must be USD per million tokens, 0 or more.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Named providers and routes: names, endpoints, keys, and every target naming a provider that exists.</summary>
    private static void NamedProviderProblems(ChatProviderOptions options, List<string> failures)
    {
        foreach (var (name, provider) in options.Providers)
        {
            var setting = $"Chat:Providers:{name}";
            if (!ProviderName().IsMatch(name))
            {
                failures.Add($"{setting}: a provider's name must be lowercase letters, digits and '-' (at most 32, starting with a letter or digit).");
                continue;
            }
            if (provider.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{setting}:Endpoint must be an absolute http(s) URL such as https://api.openai.com/v1.");
            }
            if (string.IsNullOrWhiteSpace(provider.ApiKey))
            {
                failures.Add($"{setting}:ApiKey is required (a local server that needs none, such as Ollama, takes any value).");
            }
            if (provider.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(30)))
            {
                failures.Add($"{setting}:Timeout must be between 00:00:00.001 and 00:30:00.");
            }
            if (provider.MaxRetries is < 0 or > 10)
            {
                failures.Add($"{setting}:MaxRetries must be from 0 to 10.");
            }
        }
        if (options.Routes.Count == 0)
        {
            failures.Add("Chat:Models must route at least one public model to its targets when Chat:Providers is set (\"Chat:Models:grok-4:Targets\": [\"xai/grok-4\"]).");
        }
        foreach (var (publicModel, route) in options.Routes)
        {
            var setting = $"Chat:Models:{publicModel}";
            if (!PublicModelName().IsMatch(publicModel))
            {
                failures.Add($"{setting}: a public model's name must be 1 to 128 of A-Z, a-z, 0-9 and . _ : / -.");
            }
            if (route.Targets.Count == 0)
            {
                failures.Add($"{setting}:Targets must list at least one target, provider/model.");
            }
            foreach (var target in route.Targets)
            {
                var (provider, model) = ChatRoutes.Split(target);
                if (model.Length == 0 || !options.Providers.ContainsKey(provider))
                {
                    failures.Add($"{setting}:Targets: '{target}' must be provider/model with a provider of Chat:Providers ({string.Join(", ", options.Providers.Keys)}).");
                }
            }
        }
        if (options.Model is null || !options.Routes.ContainsKey(options.Model))
        {
            failures.Add($"Chat:Model must be one of the public models of Chat:Models ({string.Join(", ", options.Routes.Keys)}).");
        }
        foreach (var allowed in options.AllowedModels.Where(m => !options.Routes.ContainsKey(m)))
        {
            failures.Add($"Chat:AllowedModels: '{allowed}' is not a public model of Chat:Models.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}\\z")]
    private static partial Regex ProviderName();

    [GeneratedRegex("^[A-Za-z0-9._:/-]{1,128}\\z")]
    private static partial Regex PublicModelName();
}
