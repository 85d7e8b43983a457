using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NextEleven.Api.Errors;

namespace NextEleven.Api.Requests;

/// <summary>
/// Reads a JSON request body inside the handler, after the endpoint filters have run: a request without
/// a key is refused before its body is even looked at, and every way a body can be wrong gets the
/// contract's 400/413/415 with a message that names the field, instead of the framework's bare 400.
/// </summary>
internal static class JsonBody
{
    public static async ValueTask<(T? Value, ApiErrorResult? Error)> ReadAsync<T>(
        HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, ApiErrors.PayloadTooLarge(maxBytes));
        }
        if (!request.HasJsonContentType())
        {
            return (null, ApiErrors.UnsupportedMediaType());
        }

        ReadOnlySequence<byte> body;
        var reader = request.BodyReader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException clientFault)
            {
                // The server's word that the client sent a bad body (too large once de-chunked, malformed
                // chunks, too slow): answered like any bad request, logged as one request line, not as our bug.
                return (null, clientFault.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? ApiErrors.PayloadTooLarge(maxBytes)
                    : new ApiErrorResult(clientFault.StatusCode, clientFault.StatusCode == StatusCodes.Status400BadRequest
                        ? "The request body could not be read: its framing (chunked encoding or length) is malformed."
                        : ApiErrors.DefaultMessageFor(clientFault.StatusCode)));
            }
            if (result.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return (null, ApiErrors.PayloadTooLarge(maxBytes));
            }
            if (result.IsCompleted)
            {
                body = result.Buffer;
                break;
            }
            // Nothing consumed, everything examined: the next read returns all of it plus what arrived.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        try
        {
            if (body.IsEmpty)
            {
                return (null, ApiErrors.BadRequest("The request body is empty; send a JSON object."));
            }
            // The span overload also rejects anything after the value; a multi-segment body is rare (large) and copied once.
            var value = body.IsSingleSegment
                ? JsonSerializer.Deserialize(body.FirstSpan, typeInfo)
                : JsonSerializer.Deserialize(body.ToArray(), typeInfo);
            return value is null
                ? (null, ApiErrors.BadRequest("The request body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, ApiErrors.BadRequest(JsonErrorMessages.Describe(exception, body, typeInfo)));
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }
}
