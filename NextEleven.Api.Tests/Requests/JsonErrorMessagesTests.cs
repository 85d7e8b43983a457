using System.Buffers;
using System.Text;
using System.Text.Json;
using NextEleven.Api.Chat;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Tests.Requests;

/// <summary>What a client is told about a body the serializer refused: the field and what it must be, no .NET names. No host.</summary>
[Trait("Category", "Unit")]
public sealed class JsonErrorMessagesTests
{
    private static string Described(string json)
    {
        var body = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        var refused = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body.FirstSpan, ChatJsonContext.Default.ChatRequest));
        return JsonErrorMessages.Describe(refused, body, ChatJsonContext.Default.ChatRequest);
    }

    [Theory]
    [InlineData("""{"message":1}""", "Field 'message' must be a string.")]
    [InlineData("""{"message":"Hi","history":[{"role":1,"content":"x"}]}""", "Field 'history[0].role' must be a string.")]
    [InlineData("""{"message":"Hi","history":{}}""", "Field 'history' must be an array of objects.")]
    [InlineData("""{"message":"Hi","stream":"yes"}""", "Field 'stream' must be true or false.")]
    [InlineData("""{"message":"Hi","maxTokens":1.5}""", "Field 'maxTokens' must be an integer.")]
    [InlineData("""{"message":"Hi","temperature":"0.5"}""", "Field 'temperature' must be a number.")]
    [InlineData("""[{"message":"Hi"}]""", "The request body must be a JSON object.")]
    public void AValueOfTheWrongKindIsNamedByItsFieldAndWhatItMustBe(string json, string expected) =>
        Assert.Equal(expected, Described(json));

    [Fact]
    public void AFieldSentTwiceIsNamed() =>
        Assert.Equal("Field 'message' appears more than once.", Described("""{"message":"a","message":"b"}"""));

    [Fact]
    public void BrokenJsonIsReportedWithTheReadersPositionAndNoTypeName()
    {
        var message = Described("""{"message":"Hi",}""");

        Assert.StartsWith("The request body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }
}
