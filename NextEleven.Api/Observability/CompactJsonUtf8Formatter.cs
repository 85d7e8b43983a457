using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;

namespace NextEleven.Api.Observability;

/// <summary>
/// Serilog's compact JSON (<c>@t</c>, <c>@mt</c>, <c>@r</c>, <c>@l</c>, <c>@x</c>, <c>@tr</c>, <c>@sp</c>, then the
/// properties), written straight to UTF-8 with <see cref="Utf8JsonWriter"/> instead of character by
/// character through a TextWriter: the same lines for a fraction of the CPU, which every request pays
/// for its log line. What repeats from line to line (property names, message templates) is escaped once
/// and kept; timestamps, ids and formatted values go through stack buffers, not strings. Not
/// thread-safe: the batching sink calls it from its one background thread.
/// </summary>
internal sealed class CompactJsonUtf8Formatter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("@t");
    private static readonly JsonEncodedText Template = JsonEncodedText.Encode("@mt");
    private static readonly JsonEncodedText Renderings = JsonEncodedText.Encode("@r");
    private static readonly JsonEncodedText Level = JsonEncodedText.Encode("@l");
    private static readonly JsonEncodedText Exception = JsonEncodedText.Encode("@x");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("@tr");
    private static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("@sp");

    // Bounded: templates and property names are few in practice, but a caller could make them up.
    private const int MaxCachedTexts = 512;

    private readonly Dictionary<string, JsonEncodedText> _encoded = new(StringComparer.Ordinal);
    private readonly StringWriter _rendering = new(CultureInfo.InvariantCulture);
    private readonly Utf8JsonWriter _json;

    public CompactJsonUtf8Formatter(IBufferWriter<byte> output) => _json = new Utf8JsonWriter(output, Options);

    public void Dispose()
    {
        _json.Dispose();
        _rendering.Dispose();
    }

    /// <summary>Writes one event as one line (the JSON object and a newline).</summary>
    public void Write(LogEvent logEvent, IBufferWriter<byte> output)
    {
        _json.Reset(output);
        _json.WriteStartObject();
        Span<byte> timestamp = stackalloc byte[64];
        logEvent.Timestamp.UtcDateTime.TryFormat(timestamp, out var length, "O", CultureInfo.InvariantCulture);
        _json.WriteString(Timestamp, timestamp[..length]);
        _json.WriteString(Template, Encoded(logEvent.MessageTemplate.Text));
        WriteRenderings(logEvent);
        if (logEvent.Level != LogEventLevel.Information)
        {
            _json.WriteString(Level, logEvent.Level.ToString());
        }
        if (logEvent.Exception is { } exception)
        {
            _json.WriteString(Exception, exception.ToString());
        }
        Span<byte> id = stackalloc byte[16];
        Span<byte> hex = stackalloc byte[32];
        if (logEvent.TraceId is { } traceId)
        {
            traceId.CopyTo(id);
            Convert.TryToHexStringLower(id, hex, out _);
            _json.WriteString(TraceId, hex);
        }
        if (logEvent.SpanId is { } spanId)
        {
            spanId.CopyTo(id[..8]);
            Convert.TryToHexStringLower(id[..8], hex, out _);
            _json.WriteString(SpanId, hex[..16]);
        }
        foreach (var property in logEvent.Properties)
        {
            _json.WritePropertyName(Encoded(property.Key.StartsWith('@') ? "@" + property.Key : property.Key));
            WriteValue(property.Value);
        }
        _json.WriteEndObject();
        _json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary><c>@r</c>: the properties the template formats (<c>{Elapsed:0.000}</c>), rendered as the text shows them.</summary>
    private void WriteRenderings(LogEvent logEvent)
    {
        var started = false;
        Span<char> rendered = stackalloc char[128];
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is not PropertyToken { Format: not null } formatted)
            {
                continue;
            }
            if (!started)
            {
                _json.WriteStartArray(Renderings);
                started = true;
            }
            // A plain formatted number or date (Elapsed:0.000) goes through a stack buffer; anything else renders as Serilog does.
            if (formatted.Alignment is null
                && logEvent.Properties.TryGetValue(formatted.PropertyName, out var property)
                && property is ScalarValue { Value: ISpanFormattable spanFormattable }
                && spanFormattable.TryFormat(rendered, out var written, formatted.Format, CultureInfo.InvariantCulture))
            {
                _json.WriteStringValue(rendered[..written]);
                continue;
            }
            _rendering.GetStringBuilder().Clear();
            formatted.Render(logEvent.Properties, _rendering, CultureInfo.InvariantCulture);
            _json.WriteStringValue(_rendering.GetStringBuilder().ToString());
        }
        if (started)
        {
            _json.WriteEndArray();
        }
    }

    /// <summary>A text as JSON escapes it, escaped once and kept.</summary>
    private JsonEncodedText Encoded(string text)
    {
        if (!_encoded.TryGetValue(text, out var encoded))
        {
            if (_encoded.Count >= MaxCachedTexts)
            {
                _encoded.Clear();
            }
            encoded = JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
            _encoded[text] = encoded;
        }
        return encoded;
    }

    private void WriteValue(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(scalar.Value);
                break;
            case SequenceValue sequence:
                _json.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    WriteValue(element);
                }
                _json.WriteEndArray();
                break;
            case StructureValue structure:
                _json.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    _json.WritePropertyName(property.Name);
                    WriteValue(property.Value);
                }
                if (structure.TypeTag is { } typeTag)
                {
                    _json.WriteString("$type", typeTag);
                }
                _json.WriteEndObject();
                break;
            case DictionaryValue dictionary:
                _json.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    _json.WritePropertyName(key.Value?.ToString() ?? "null");
                    WriteValue(element);
                }
                _json.WriteEndObject();
                break;
            default:
                _json.WriteStringValue(value.ToString());
                break;
        }
    }

    private void WriteScalar(object? value)
    {
        switch (value)
        {
            case null:
                _json.WriteNullValue();
                break;
            case string text:
                _json.WriteStringValue(text);
                break;
            case bool flag:
                _json.WriteBooleanValue(flag);
                break;
            case int number:
                _json.WriteNumberValue(number);
                break;
            case long or short or byte or sbyte or ushort or uint:
                _json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong large:
                _json.WriteNumberValue(large);
                break;
            case double real when double.IsFinite(real):
                _json.WriteNumberValue(real);
                break;
            case float single when float.IsFinite(single):
                _json.WriteNumberValue(single);
                break;
            case decimal exact:
                _json.WriteNumberValue(exact);
                break;
            case DateTime time:
                _json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                _json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                _json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                _json.WriteStringValue(value.ToString());
                break;
        }
    }
}
