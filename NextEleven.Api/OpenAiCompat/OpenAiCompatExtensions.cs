namespace NextEleven.Api.OpenAiCompat;

internal static class OpenAiCompatExtensions
{
    public static IServiceCollection AddOpenAiCompat(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OpenAiJsonContext.Default));
}
