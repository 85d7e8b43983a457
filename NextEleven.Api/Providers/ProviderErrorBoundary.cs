using System.ClientModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace NextEleven.Api.Providers;

/// <summary>
/// The innermost layer around the provider's client: it turns the SDK's exceptions into
/// <see cref="ProviderException"/>, so the logging middleware above it, and everything else, only
/// ever sees what is safe to log. Provider messages are read here to recognise a refused key, and
/// dropped: xAI, for one, quotes part of the key it refused.
/// </summary>
internal sealed class ProviderErrorBoundary(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception exception) when (Translate(exception) is { } translated)
        {
            throw translated;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
            yield return updates.Current;
        }
    }

    /// <summary>The safe equivalent of a provider failure, or null for anything else (a timeout, a cancellation, a bug).</summary>
    internal static ProviderException? Translate(Exception exception) => exception switch
    {
        // The SDK's own network timeout surfaces as a cancellation, sometimes inside an IOException:
        // left as it is, so the caller can tell a timeout (504) from a provider failure.
        _ when IsTimeoutOrCancellation(exception) => null,
        // The SDK's retry policy reports a run of failed tries together; the last one is the answer.
        AggregateException { InnerExceptions.Count: > 0 } many => Translate(many.InnerExceptions[^1]),
        ClientResultException { Status: 401 or 403 } refused => From(ProviderErrorKind.CredentialsRefused, refused),
        ClientResultException { Status: 400 } badRequest when MentionsApiKey(badRequest) => From(ProviderErrorKind.CredentialsRefused, badRequest),
        ClientResultException { Status: 429 } limited => From(ProviderErrorKind.RateLimited, limited, RetryAfterSeconds(limited)),
        ClientResultException { Status: 0 } => new ProviderException(ProviderErrorKind.Unreachable, 0, "none", null),
        // A 503 with Retry-After says how long the provider wants to be left alone: its target's breaker honours it.
        ClientResultException { Status: 503 } unavailable => From(ProviderErrorKind.Failed, unavailable, RetryAfterSeconds(unavailable)),
        ClientResultException failed => From(ProviderErrorKind.Failed, failed),
        HttpRequestException or IOException => new ProviderException(ProviderErrorKind.Unreachable, 0, "none", null),
        JsonException or FormatException => new ProviderException(ProviderErrorKind.Malformed, 200, "none", null),
        _ => null,
    };

    /// <summary>Whether a cancellation or timeout lies anywhere in the exception's chain.</summary>
    internal static bool IsTimeoutOrCancellation(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }

    private static ProviderException From(ProviderErrorKind failure, ClientResultException exception, int? retryAfter = null) =>
        new(failure, exception.Status, ErrorCode(exception), retryAfter);

    /// <summary>xAI answers a wrong key with 400 and a flat body (<c>{"code": "...", "error": "Incorrect API key provided: ..."}</c>).</summary>
    private static bool MentionsApiKey(ClientResultException exception) =>
        ReadError(exception, ErrorText) is { } text
        && (text.Contains("api key", StringComparison.OrdinalIgnoreCase) || text.Contains("api_key", StringComparison.OrdinalIgnoreCase));

    /// <summary>The error message from either shape: OpenAI's <c>{"error": {"message"}}</c> or xAI's <c>{"error": "..."}</c>.</summary>
    private static string? ErrorText(JsonElement root) =>
        root.TryGetProperty("error", out var error) ? error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("message", out var message) => message.ToString(),
            _ => null,
        } : null;

    /// <summary>The provider's error code (safe to log, unlike its message), from either shape.</summary>
    private static string ErrorCode(ClientResultException exception) => ReadError(exception, static root =>
        root.TryGetProperty("code", out var flat) ? flat.ToString()
        : root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("code", out var nested) ? nested.ToString()
        : null) is { Length: > 0 and <= 100 } code ? code : "none";

    private static string? ReadError(ClientResultException exception, Func<JsonElement, string?> read)
    {
        try
        {
            var content = exception.GetRawResponse()?.Content;
            if (content is null || content.ToMemory().IsEmpty)
            {
                return null;
            }
            using var document = JsonDocument.Parse(content.ToMemory());
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null; // not JSON: nothing to read
        }
    }

    /// <summary>The provider's <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date), in whole seconds.</summary>
    private static int? RetryAfterSeconds(ClientResultException exception)
    {
        var headers = exception.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }
        if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return Math.Max(1, (int)Math.Ceiling(milliseconds / 1000));
        }
        if (headers.TryGetValue("Retry-After", out var value))
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return Math.Max(1, seconds);
            }
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return Math.Max(1, (int)Math.Ceiling((date - DateTimeOffset.UtcNow).TotalSeconds));
            }
        }
        return null;
    }
}
