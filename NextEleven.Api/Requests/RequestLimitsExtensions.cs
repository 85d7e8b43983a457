using Microsoft.AspNetCore.Server.Kestrel.Core;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;

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
                try
                {
                    configuration.GetSection(RequestLimitsOptions.SectionName).Bind(limits);
                }
                catch (InvalidOperationException)
                {
                    // A value that cannot be read: Kestrel keeps the defaults, and the start-up check
                    // (which binds the same section) stops the start with one line naming it.
                    limits = new RequestLimitsOptions();
                }
                kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
                // Kestrel answers oversized headers itself, with an empty body; its own limit sits above
                // ours so that the service's check, which answers with the contract's JSON, comes first.
                kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, limits.MaxRequestHeadersBytes * 2);
                kestrel.AddServerHeader = false;
            });
        return services;
    }

    /// <summary>
    /// Refuses requests whose headers exceed <c>Limits:MaxRequestHeadersBytes</c> with a JSON 431. On
    /// <c>/api</c> the refusal is counted against the address's budget and carries the limit headers, as
    /// every /api response does (a 429 when that budget is spent).
    /// </summary>
    public static IApplicationBuilder UseRequestHeaderLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RequestLimitsOptions>>()
            .Value.MaxRequestHeadersBytes;
        var limiter = app.ApplicationServices.GetRequiredService<ClientRateLimiter>();
        return app.Use((context, next) =>
        {
            long size = 0;
            foreach (var (name, values) in context.Request.Headers)
            {
                size += name.Length;
                foreach (var value in values)
                {
                    size += value?.Length ?? 0;
                }
            }
            return size <= limit ? next(context) : RefuseAsync(context, limit, limiter);
        });
    }

    private static async Task RefuseAsync(HttpContext context, long limit, ClientRateLimiter limiter)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            var decision = await limiter.AcquireForAddressAsync(context);
            decision.WriteHeaders(context.Response.Headers);
            if (!decision.IsAllowed)
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, decision.RejectionMessage(),
                    retryAfter: decision.SecondsUntilReset);
                return;
            }
        }
        await ApiErrors.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge,
            $"Request headers exceed the limit of {limit} bytes.");
    }
}
