using Microsoft.Extensions.Options;

namespace NextEleven.Api.Clients;

/// <summary>Registers the clients directory, its registry and the file watcher.</summary>
internal static class ClientsServiceExtensions
{
    /// <summary>The clients and their keys: the environment's key as client <c>default</c>, and the watched clients file.</summary>
    public static IHostApplicationBuilder AddClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(string.Empty).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        builder.Services.AddOptions<ClientsOptions>().BindConfiguration(ClientsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClientsOptions>, ClientsOptionsValidator>();
        builder.Services.AddSingleton<ClientRegistry>();
        builder.Services.AddHostedService<ClientsFileWatcher>();
        return builder;
    }
}
