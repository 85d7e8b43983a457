using Microsoft.AspNetCore.Routing.Template;

namespace NextEleven.Api.Errors;

/// <summary>Which methods each mapped route accepts, built once from the routing table.</summary>
internal sealed class RouteMethodIndex(EndpointDataSource endpoints)
{
    private readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, string Allow)>> _routes = new(() =>
        [.. endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Order != int.MaxValue) // fallbacks are not routes
            .Select(e => (Endpoint: e, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Methods is { Count: > 0 } && e.Endpoint.RoutePattern.RawText is not null)
            .GroupBy(e => e.Endpoint.RoutePattern.RawText!, StringComparer.OrdinalIgnoreCase)
            .Select(g => (
                new TemplateMatcher(TemplateParser.Parse(g.Key), new RouteValueDictionary()),
                string.Join(", ", g.SelectMany(e => e.Methods!).Distinct(StringComparer.OrdinalIgnoreCase))))]);

    /// <summary>The <c>Allow</c> value for a path that exists under other methods, else null.</summary>
    public string? MethodsFor(PathString path)
    {
        foreach (var (matcher, allow) in _routes.Value)
        {
            if (matcher.TryMatch(path, new RouteValueDictionary()))
            {
                return allow;
            }
        }
        return null;
    }
}
