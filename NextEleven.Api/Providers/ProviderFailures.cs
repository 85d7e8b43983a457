using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace NextEleven.Api.Providers;

/// <summary>
/// Turns what went wrong on a provider call into a <see cref="ProviderException"/>, which holds only what
/// is safe to log and act on: a provider's error message is read here to recognise a refused key, and
/// dropped (xAI, for one, quotes part of the key it refused).
/// </summary>
internal static class ProviderFailures
{
    /// <summary>The most of an error body that is read; the code and message come first in every provider's errors.</summary>
    private const int MaxErrorBodyBytes = 16 * 1024;

    /// <summary>The failure an error status means, its body and headers read for the code and the wait asked for.</summary>
    public static async Task<ProviderException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await ReadErrorBodyAsync(response, cancellationToken);
        var code = ErrorCode(body);
        return status switch
        {
            401 or 403 => new(ProviderErrorKind.CredentialsRefused, status, code, null),
            // xAI answers a wrong key with 400 and a flat body: {"code": "...", "error": "Incorrect API key provided: ..."}.
            400 when MentionsApiKey(body) => new(ProviderErrorKind.CredentialsRefused, status, code, null),
            429 => new(ProviderErrorKind.RateLimited, status, code, RetryAfterSeconds(response.Headers)),
            // A 503 with Retry-After says how long the provider wants to be left alone: its target's breaker honours it.
            503 => new(ProviderErrorKind.Failed, status, code, RetryAfterSeconds(response.Headers)),
            _ => new(ProviderErrorKind.Failed, status, code, null),
        };
    }

    /// <summary>The safe equivalent of a failure while calling or reading, or null for anything else (a timeout, a cancellation, a bug).</summary>
    public static ProviderException? Translate(Exception exception) => exception switch
    {
        ProviderException known => known,
        // A cancellation or timeout, even inside an IOException, is left as it is, so that the caller can
        // tell a timeout (504) or a client gone from a provider failure.
        _ when IsTimeoutOrCancellation(exception) => null,
        HttpRequestException or IOException => new ProviderException(ProviderErrorKind.Unreachable, 0, "none", null),
        JsonException or FormatException => new ProviderException(ProviderErrorKind.Malformed, 200, "none", null),
        _ => null,
    };

    /// <summary>Whether a cancellation or timeout lies anywhere in the exception's chain.</summary>
    public static bool IsTimeoutOrCancellation(Exception exception)
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

    /// <summary>The provider's <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date), in whole seconds.</summary>
    public static int? RetryAfterSeconds(HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), CultureInfo.InvariantCulture, out var milliseconds))
        {
            return Math.Max(1, (int)Math.Ceiling(milliseconds / 1000));
        }
        return headers.RetryAfter switch
        {
            { Delta: { } delta } => Math.Max(1, (int)Math.Ceiling(delta.TotalSeconds)),
            { Date: { } date } => Math.Max(1, (int)Math.Ceiling((date - DateTimeOffset.UtcNow).TotalSeconds)),
            _ => null,
        };
    }

    private static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
            return buffer[..length];
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return []; // the status says enough
        }
    }

    /// <summary>The provider's error code (safe to log, unlike its message), from OpenAI's shape or xAI's flat one.</summary>
    private static string ErrorCode(byte[] body) => ReadError(body, static root =>
        root.TryGetProperty("code", out var flat) ? flat.ToString()
        : root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("code", out var nested) ? nested.ToString()
        : null) is { Length: > 0 and <= 100 } code ? code : "none";

    private static bool MentionsApiKey(byte[] body) =>
        ReadError(body, ErrorText) is { } text
        && (text.Contains("api key", StringComparison.OrdinalIgnoreCase) || text.Contains("api_key", StringComparison.OrdinalIgnoreCase));

    /// <summary>The error message from either shape: OpenAI's <c>{"error": {"message"}}</c> or xAI's <c>{"error": "..."}</c>.</summary>
    private static string? ErrorText(JsonElement root) =>
        root.TryGetProperty("error", out var error) ? error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("message", out var message) => message.ToString(),
            _ => null,
        } : null;

    private static string? ReadError(byte[] body, Func<JsonElement, string?> read)
    {
        if (body.Length == 0)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null; // not JSON (or cut at the size read): nothing to read
        }
    }
}
