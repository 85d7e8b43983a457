using Microsoft.Extensions.AI;

namespace NextEleven.Api.Chat;

public static class ChatServiceExtensions
{
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddOptions<ChatProviderOptions>()
            .BindConfiguration(ChatProviderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddChatClient(new EchoChatClient());
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ChatJsonContext.Default));
        return services;
    }
}
