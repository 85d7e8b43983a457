using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace NextEleven.Api.Observability;

/// <summary>
/// Escapes control characters in every text value before the console writes it, so a caller who puts
/// <c>%0d%0a</c> or an escape sequence in a path cannot forge log lines or repaint the terminal.
/// (The JSON formatter escapes them already; the console's text template does not.)
/// </summary>
internal sealed class ControlCharacterEscapingSink(ILogEventSink inner) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent)
    {
        if (!logEvent.Properties.Values.Any(NeedsEscaping))
        {
            inner.Emit(logEvent);
            return;
        }
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Escape(p.Value)));
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate,
            properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private static bool NeedsEscaping(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => text.Any(char.IsControl),
        SequenceValue sequence => sequence.Elements.Any(NeedsEscaping),
        StructureValue structure => structure.Properties.Any(p => NeedsEscaping(p.Value)),
        DictionaryValue dictionary => dictionary.Elements.Any(e => NeedsEscaping(e.Key) || NeedsEscaping(e.Value)),
        _ => false,
    };

    private static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when text.Any(char.IsControl) => new ScalarValue(Escape(text)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Escape)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Escape(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escape(e.Key), Escape(e.Value)))),
        _ => value,
    };

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                _ when char.IsControl(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }
        return escaped.ToString();
    }
}
