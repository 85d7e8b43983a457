using Microsoft.Extensions.Options;
using NextEleven.Api.Configuration;

namespace NextEleven.Api.Security;

/// <summary>CORS for browser origins the operator names; off by default.</summary>
internal static class CorsExtensions
{
    private static readonly string[] ExposedHeaders =
    [
        "X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit-Policy", "RateLimit",
        "Retry-After", "X-NextEleven-Target", "X-NextEleven-Attempts",
    ];

    /// <summary>
    /// CORS from <c>Cors:AllowedOrigins</c> (a list, or one comma-separated string). Preflights are answered
    /// before authentication, since browsers send them without credentials; the limit headers are exposed
    /// so browser code can read them.
    /// </summary>
    public static IHostApplicationBuilder AddApiCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiCorsOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.AllowedOrigins.AddRange(configuration.GetSection(ApiCorsOptions.SectionName).GetSection("AllowedOrigins")
                    .GetList().Select(origin => origin.TrimEnd('/')));
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiCorsOptions>, ApiCorsOptionsValidator>();
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<ApiCorsOptions>>((cors, api) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. api.Value.AllowedOrigins])
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders(ApiKeyAuthenticator.ApiKeyHeader, "Authorization", "Content-Type", "Accept")
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return builder;
    }

    /// <summary>Adds the CORS middleware only when origins are configured: off by default.</summary>
    public static IApplicationBuilder UseApiCors(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ApiCorsOptions>>().Value.AllowedOrigins.Count > 0
            ? app.UseCors()
            : app;
}
