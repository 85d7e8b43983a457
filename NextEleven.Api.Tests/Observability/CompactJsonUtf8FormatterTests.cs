using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NextEleven.Api.Observability;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace NextEleven.Api.Tests.Observability;

/// <summary>The UTF-8 formatter writes the same JSON as Serilog's CompactJsonFormatter, event for event.</summary>
[Trait("Category", "Unit")]
public sealed class CompactJsonUtf8FormatterTests
{
    public static TheoryData<string> Events() => ["request line", "warning with exception", "structures and oddities"];

    [Theory]
    [MemberData(nameof(Events))]
    public void ItWritesWhatSerilogsCompactFormatterWrites(string name)
    {
        var logEvent = Event(name);
        var expected = new StringWriter(CultureInfo.InvariantCulture);
        new CompactJsonFormatter().Format(logEvent, expected);
        var buffer = new ArrayBufferWriter<byte>();
        using var formatter = new CompactJsonUtf8Formatter(buffer);

        formatter.Write(logEvent, buffer);
        var written = Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.EndsWith("\n", written, StringComparison.Ordinal);
        Assert.Single(written.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.ToString()), JsonNode.Parse(written)),
            $"expected {expected}\nwritten  {written}");
    }

    private static LogEvent Event(string name)
    {
        var parser = new MessageTemplateParser();
        var timestamp = new DateTimeOffset(2026, 1, 14, 17, 0, 0, 123, TimeSpan.FromHours(2));
        return name switch
        {
            "request line" => new LogEvent(timestamp, LogEventLevel.Information, null,
                parser.Parse("HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms (request {RequestId}, client {ClientId})"),
                [
                    new LogEventProperty("RequestMethod", new ScalarValue("POST")),
                    new LogEventProperty("RequestPath", new ScalarValue("/api/chat/\u00e9\"quoted\"\\ \r\n\u001b")),
                    new LogEventProperty("StatusCode", new ScalarValue(200)),
                    new LogEventProperty("Elapsed", new ScalarValue(0.123456)),
                    new LogEventProperty("RequestId", new ScalarValue("0HNQ:00000001")),
                    new LogEventProperty("ClientId", new ScalarValue("acme-web")),
                ], ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()),
            "warning with exception" => new LogEvent(timestamp, LogEventLevel.Warning, new InvalidOperationException("boom"),
                parser.Parse("Redis did not answer (\"{Reason}\" \\ <tag>)"),
                [new LogEventProperty("Reason", new ScalarValue("TimeoutException")), new LogEventProperty("@odd", new ScalarValue(true))]),
            _ => new LogEvent(timestamp, LogEventLevel.Debug, null, parser.Parse("Values {A} {B} {C} {D} {E} {F}"),
            [
                new LogEventProperty("A", new SequenceValue([new ScalarValue(1L), new ScalarValue(null), new ScalarValue(2.5m)])),
                new LogEventProperty("B", new StructureValue([new LogEventProperty("X", new ScalarValue(false))], "Point")),
                new LogEventProperty("C", new DictionaryValue([new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("k"), new ScalarValue(TimeSpan.FromSeconds(90)))])),
                new LogEventProperty("D", new ScalarValue(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))),
                new LogEventProperty("E", new ScalarValue(Guid.Empty)),
                new LogEventProperty("F", new ScalarValue('c')),
            ]),
        };
    }
}
