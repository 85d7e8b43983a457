using Microsoft.Extensions.Options;

namespace NextEleven.Api.Clients;

internal static class ClientsServiceExtensions
{
    /// <summary>The clients and their keys: the environment's key as client <c>default</c>, and the watched clients file.</summary>
    public static IServiceCollection AddClients(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(string.Empty).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddOptions<ClientsOptions>().BindConfiguration(ClientsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientsOptions>, ClientsOptionsValidator>();
        services.AddSingleton<ClientRegistry>();
        services.AddHostedService<ClientsFileWatcher>();
        return services;
    }
}
