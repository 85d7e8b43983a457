using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using NextEleven.Api.Errors;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Requests;

/// <summary>Request size limits: the body, the headers, the message lengths.</summary>
internal static class RequestLimitsExtensions
{
    public static IHostApplicationBuilder AddRequestLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RequestLimitsOptions>, RequestLimitsOptionsValidator>();
        // Kestrel enforces the same body limit on every route, including ones that never read the body.
        // Kestrel is built with the app, before the start-up check reports a bad value in one line, so it
        // binds the section itself rather than through the validating IOptions.
        builder.Services.AddOptions<KestrelServerOptions>()
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
                // Out of range: Kestrel keeps its default and the start-up check refuses the value in one line.
                if (limits.MaxRequestBodyBytes >= 0)
                {
                    kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
                }
                // Kestrel answers oversized headers itself, with an empty body; its own limit sits above
                // ours so that the service's check, which answers with the contract's JSON, comes first.
                kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize,
                    (int)Math.Min(int.MaxValue, Math.Max(0L, limits.MaxRequestHeadersBytes) * 2L));
                kestrel.AddServerHeader = false;
            });
        return builder;
    }

    /// <summary>
    /// Refuses requests whose headers exceed <c>Limits:MaxRequestHeadersBytes</c> with a JSON 431. On
    /// <c>/api</c> the refusal is counted against the address's budget and carries the limit headers, as
    /// every /api response does (a 429 when that budget is spent).
    /// </summary>
    public static IApplicationBuilder UseRequestHeaderLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitsOptions>>()
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
            // Refused before the key is read: the address's budget, as for a request without a valid key.
            var decision = await limiter.AcquireAsync(limiter.Default, LimitPartition.FromAddress(context.Connection.RemoteIpAddress));
            LimitResults.Record(context, decision);
            if (!decision.IsAllowed)
            {
                await LimitRejection.For(decision).ExecuteAsync(context);
                return;
            }
        }
        await ApiErrors.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge,
            $"Request headers exceed the limit of {limit} bytes.");
    }
}
