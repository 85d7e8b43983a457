using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NextEleven.Api.Requests;

public static class RequestLimitsExtensions
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Kestrel enforces the same body limit on every route, including ones that never read the body.
        // Kestrel is built with the app, before the start-up check reports a bad value in one line, so it
        // binds the section itself rather than through the validating IOptions.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IConfiguration>((kestrel, configuration) =>
            {
                var limits = new RequestLimitsOptions();
                configuration.GetSection(RequestLimitsOptions.SectionName).Bind(limits);
                kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            });
        return services;
    }
}
