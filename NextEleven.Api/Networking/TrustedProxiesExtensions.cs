using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using NextEleven.Api.Configuration;

namespace NextEleven.Api.Networking;

/// <summary>The client's real address behind the proxies the operator trusts.</summary>
internal static class TrustedProxiesExtensions
{
    /// <summary>
    /// Binds <c>TrustedProxies</c> (a list, or one comma-separated string such as
    /// <c>TrustedProxies=10.0.0.0/8,192.0.2.7</c>) and <c>ForwardedHeaders:Header</c>. For
    /// <c>X-Forwarded-For</c> they go to ASP.NET Core's forwarded-headers middleware, which then rewrites
    /// the connection's remote address only for connections from those networks.
    /// </summary>
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxiesOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Entries.AddRange(configuration.GetSection(TrustedProxiesOptions.SectionName).GetList());
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustedProxiesOptions>, TrustedProxiesOptionsValidator>();

        builder.Services.AddOptions<ForwardingHeaderOptions>()
            .BindConfiguration(ForwardingHeaderOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardingHeaderOptions>, ForwardingHeaderOptionsValidator>();

        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<TrustedProxiesOptions>>((forwarded, trusted) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                // The framework trusts loopback by default; here only what the operator lists is trusted.
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var entry in trusted.Value.Entries)
                {
                    if (TrustedProxiesOptions.Parse(entry) is { } network)
                    {
                        forwarded.KnownIPNetworks.Add(network);
                    }
                }
                // Walk back through every trusted hop (client, proxy1, proxy2) to the first untrusted address.
                forwarded.ForwardLimit = null;
            });
        return builder;
    }

    /// <summary>
    /// Believes the one configured forwarding header, from the trusted proxies only. With none configured
    /// nothing is added: given empty lists the framework's middleware would trust every peer.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var networks = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value.Entries
            .Select(entry => TrustedProxiesOptions.Parse(entry)!.Value)
            .ToArray();
        if (networks.Length == 0)
        {
            return app;
        }
        bool IsTrusted(IPAddress address)
        {
            var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            return networks.Any(network => network.Contains(normalized));
        }

        var header = app.ApplicationServices.GetRequiredService<IOptions<ForwardingHeaderOptions>>().Value.Canonical;
        if (header == ForwardingHeaderOptions.XForwardedFor)
        {
            return app.UseForwardedHeaders();
        }
        Func<IHeaderDictionary, IPAddress, Func<IPAddress, bool>, IPAddress> resolve = header == ForwardingHeaderOptions.Forwarded
            ? ForwardedClientAddress.FromForwarded
            : ForwardedClientAddress.FromRealIp;
        return app.Use((context, next) =>
        {
            var connection = context.Connection;
            if (connection.RemoteIpAddress is { } peer)
            {
                connection.RemoteIpAddress = resolve(context.Request.Headers, peer, IsTrusted);
            }
            return next(context);
        });
    }
}
