using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Security;
using NextEleven.Api.Usage;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace NextEleven.Api.Observability;

/// <summary>
/// One structured line per request, through the host's Serilog pipeline: method, path, status, elapsed,
/// request id, client id and key id (never the key), and address. The event is built directly, with the
/// template parsed once and nothing collected while the request runs, so a request that is not logged
/// costs a clock read, and one that is costs one event. The fields, their order and the source context
/// are those of Serilog.AspNetCore's request logging, which this replaces: log queries and level
/// overrides (<c>Serilog.AspNetCore.RequestLoggingMiddleware</c>) keep working.
/// <para>
/// A flood of rejections does not cost a line each: <see cref="RejectionLogSampler"/> lets the first 401
/// or 429 of a client in a window through and counts the rest into a summary line.
/// </para>
/// </summary>
internal sealed class RequestLogMiddleware
{
    /// <summary>The source context of request lines, as Serilog.AspNetCore named it.</summary>
    public const string SourceContext = "Serilog.AspNetCore.RequestLoggingMiddleware";

    public const string Template =
        "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms (request {RequestId}, client {ClientId}, key {KeyId}, address {ClientAddress})";

    private static readonly MessageTemplate ParsedTemplate = new MessageTemplateParser().Parse(Template);
    private static readonly ScalarValue AnonymousClient = new(ClientRateLimiter.AnonymousClientId);
    private static readonly ScalarValue NoKey = new("none");
    private static readonly ScalarValue UnknownAddress = new("unknown");
    private static readonly LogEventProperty SourceContextProperty = new(Constants.SourceContextPropertyName, new ScalarValue(SourceContext));

    private readonly RequestDelegate _next;
    private readonly Serilog.ILogger _logger;
    private readonly RejectionLogSampler _rejections;

    public RequestLogMiddleware(RequestDelegate next, Serilog.ILogger logger, RejectionLogSampler rejections)
    {
        _next = next;
        // This host's logger, not the static one: several hosts (tests) may run side by side.
        _logger = logger.ForContext(Constants.SourceContextPropertyName, SourceContext);
        _rejections = rejections;
    }

    public async Task Invoke(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await _next(context);
        }
        catch (Exception exception) when (Log(context, StatusCodes.Status500InternalServerError, start, exception))
        {
            // Never caught (Log returns false): the exception handler still sees it.
        }
        Log(context, context.Response.StatusCode, start, null);
    }

    private bool Log(HttpContext context, int statusCode, long start, Exception? exception)
    {
        var level = LevelOf(context, statusCode, exception);
        if (!_logger.IsEnabled(level))
        {
            return false;
        }
        if (level == LogEventLevel.Warning && !_rejections.ShouldLog(context, statusCode))
        {
            return false;
        }
        var identity = context.Features.Get<Caller>();
        var address = context.Connection.RemoteIpAddress;
        var request = context.Request;
        LogEventProperty[] properties =
        [
            new("RequestId", new ScalarValue(context.TraceIdentifier)),
            new("ClientId", identity is null ? AnonymousClient : new ScalarValue(identity.ClientId)),
            new("KeyId", identity is null ? NoKey : new ScalarValue(identity.KeyId)),
            new("ClientAddress", address is null ? UnknownAddress : new ScalarValue(address.ToString())),
            new("RequestMethod", new ScalarValue(request.Method)),
            new("RequestPath", new ScalarValue(PathOf(context))),
            new("StatusCode", new ScalarValue(statusCode)),
            new("Elapsed", new ScalarValue(Stopwatch.GetElapsedTime(start).TotalMilliseconds)),
            // Already here, the logger's own SourceContext adds nothing: the event's dictionary is sized once.
            SourceContextProperty,
        ];
        if (context.Features.Get<ReportedCost>() is { } cost)
        {
            properties = [.. properties, new LogEventProperty("CostUsd", new ScalarValue(cost.Usd))];
        }
        var activity = Activity.Current;
        _logger.Write(new LogEvent(DateTimeOffset.Now, level, exception, ParsedTemplate, properties,
            activity?.TraceId ?? default, activity?.SpanId ?? default));
        return false;
    }

    /// <summary>The decoded path without the query, as Serilog.AspNetCore logs it.</summary>
    private static string PathOf(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.Path is { Length: > 0 } path ? path : context.Request.Path.ToString();

    /// <summary>
    /// Probes (every few seconds from every load balancer, a 503 from /readyz included) at Debug; failures
    /// at Error; refused keys and limits at Warning; the rest at Information.
    /// </summary>
    private static LogEventLevel LevelOf(HttpContext context, int statusCode, Exception? exception) =>
        exception is null && (context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
            ? LogEventLevel.Debug
            : exception is not null || statusCode >= 500
            ? LogEventLevel.Error
            : statusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests
                ? LogEventLevel.Warning
                : LogEventLevel.Information;
}
