using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NextEleven.Api.Chat;

/// <summary>
/// Writes a stream's Server-Sent Events straight into the response's pipe: <c>data: </c>, the event's JSON
/// serialized in UTF-8 by its source-generated writer, a blank line. No string is made of an event, and
/// nothing is flushed here: <see cref="ChatEventStreamResult"/> decides when the client is sent what is written.
/// </summary>
internal sealed class ChatEventWriter : IDisposable
{
    private readonly PipeWriter _output;
    private readonly Utf8JsonWriter _json;

    public ChatEventWriter(PipeWriter output)
    {
        _output = output;
        // The encoder the chat bodies are written with (ErrorsJsonContext.CreateOptions): the serializer
        // takes it from the writer, not from the options, when it is handed one.
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>How many events were written so far.</summary>
    public int Written { get; private set; }

    /// <summary>One event whose data is <paramref name="value"/> as JSON (one line: the writer never indents).</summary>
    public void Write<T>(T value, JsonTypeInfo<T> type)
    {
        _output.Write("data: "u8);
        _json.Reset(_output);
        JsonSerializer.Serialize(_json, value, type);
        _json.Flush();
        _output.Write("\n\n"u8);
        Written++;
    }

    /// <summary>The last event of a finished stream, as OpenAI ends theirs.</summary>
    public void WriteDone()
    {
        _output.Write("data: [DONE]\n\n"u8);
        Written++;
    }

    public void Dispose() => _json.Dispose();
}
