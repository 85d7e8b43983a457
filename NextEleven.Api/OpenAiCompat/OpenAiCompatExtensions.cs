namespace NextEleven.Api.OpenAiCompat;

/// <summary>Registers the OpenAI-compatible surface's JSON.</summary>
internal static class OpenAiCompatExtensions
{
    public static IHostApplicationBuilder AddOpenAiCompat(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OpenAiJsonContext.Default));
        return builder;
    }
}
