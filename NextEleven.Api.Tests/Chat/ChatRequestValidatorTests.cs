using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Chat;
using NextEleven.Api.OpenAiCompat;
using NextEleven.Api.Providers;
using NextEleven.Api.Requests;

namespace NextEleven.Api.Tests.Chat;

/// <summary>The rules both chat surfaces share, on requests as each wire format reads them: no host, no HTTP.</summary>
[Trait("Category", "Unit")]
public sealed class ChatRequestValidatorTests
{
    private readonly ChatRequestValidator _validator = new(
        Options.Create(new RequestLimitsOptions { MaxMessageLength = 20, MaxHistoryMessages = 2 }),
        Options.Create(new ChatProviderOptions { Model = "grok-4", AllowedModels = { "grok-3" }, MaxOutputTokens = 100 }));

    private (ChatTurn? Turn, string? Problem) Validate(ChatRequest request, string? model = null)
    {
        var (draft, problem) = NextElevenWireFormat.Instance.ToDraft(request);
        return draft is null ? (null, problem) : _validator.Validate(draft, model);
    }

    private (ChatTurn? Turn, string? Problem) Validate(ChatCompletionRequest request, string? model = null)
    {
        var (draft, problem) = OpenAiWireFormat.Instance.ToDraft(request);
        return draft is null ? (null, problem) : _validator.Validate(draft, model);
    }

    private static ChatCompletionMessage Message(string? role, string contentJson) =>
        new() { Role = role, Content = JsonDocument.Parse(contentJson).RootElement.Clone() };

    [Fact]
    public void AValidRequestBecomesTheConversationInOrderTheNewMessageLast()
    {
        var (turn, problem) = Validate(new ChatRequest
        {
            Message = "and now?",
            History = [new() { Role = "system", Content = "be brief" }, new() { Role = "assistant", Content = "hello" }],
            Temperature = 0.5,
            MaxTokens = 100,
        }, model: "grok-3");

        Assert.Null(problem);
        Assert.Equal([ChatRole.System, ChatRole.Assistant, ChatRole.User], turn!.Messages.Select(m => m.Role));
        Assert.Equal(["be brief", "hello", "and now?"], turn.Messages.Select(m => m.Text));
        Assert.Equal(("grok-3", 0.5, 100), (turn.Model, turn.Temperature, turn.MaxTokens));
    }

    [Theory]
    [InlineData(null, "Field 'message' is required and must be a string.")]
    [InlineData("   ", "Field 'message' must not be blank.")]
    [InlineData("twenty-one characters", "Field 'message' is 21 characters long; the limit is 20.")]
    public void TheMessageMustBeTextWithinTheLimit(string? message, string expected) =>
        Assert.Equal(expected, Validate(new ChatRequest { Message = message }).Problem);

    [Fact]
    public void HistoryEntriesAreCheckedForShapeRoleAndText()
    {
        Assert.Equal("Field 'history[0]' must be an object with 'role' and 'content'.",
            Validate(new ChatRequest { Message = "Hi", History = [null!] }).Problem);
        Assert.Equal("Field 'history[0].role' must be one of 'user', 'assistant' or 'system'.",
            Validate(new ChatRequest { Message = "Hi", History = [new() { Role = "developer", Content = "x" }] }).Problem);
        Assert.Equal("Field 'history[0].content' is required and must be a string.",
            Validate(new ChatRequest { Message = "Hi", History = [new() { Role = "user" }] }).Problem);
        Assert.Equal("Field 'history' has 3 entries; the limit is 2.",
            Validate(new ChatRequest { Message = "Hi", History = [.. Enumerable.Repeat(new ChatHistoryEntry { Role = "user", Content = "x" }, 3)] }).Problem);
    }

    [Fact]
    public void OpenAiMessagesCountTheNewMessageAndAcceptDeveloperAndTextParts()
    {
        var (turn, problem) = Validate(new ChatCompletionRequest
        {
            Messages = [Message("developer", "\"be brief\""), Message("assistant", "\"\""), Message("user", """[{"type":"text","text":"a"},{"type":"text","text":"b"}]""")],
        });

        Assert.Null(problem);
        Assert.Equal([ChatRole.System, ChatRole.Assistant, ChatRole.User], turn!.Messages.Select(m => m.Role));
        Assert.Equal(["be brief", "", "ab"], turn.Messages.Select(m => m.Text));
        Assert.Equal("Field 'messages' has 4 entries; the limit is 3.",
            Validate(new ChatCompletionRequest { Messages = [.. Enumerable.Repeat(Message("user", "\"x\""), 4)] }).Problem);
    }

    [Theory]
    [InlineData(null, "\"x\"", "Field 'messages[0].role' must be one of 'system', 'developer', 'user' or 'assistant'.")]
    [InlineData("tool", "\"x\"", "Field 'messages[0].role' must be one of 'system', 'developer', 'user' or 'assistant'.")]
    [InlineData("user", "42", "Field 'messages[0].content' must be a string or an array of text parts.")]
    [InlineData("user", """[{"type":"image_url","image_url":"x"}]""", "Field 'messages[0].content' must be a string or an array of text parts.")]
    [InlineData("user", "\"twenty-one characters\"", "Field 'messages[0].content' is 21 characters long; the limit is 20.")]
    public void OpenAiMessagesAreCheckedForRoleAndText(string? role, string contentJson, string expected) =>
        Assert.Equal(expected, Validate(new ChatCompletionRequest { Messages = [Message(role, contentJson)] }).Problem);

    [Fact]
    public void OpenAiMessagesMustBeANonEmptyList()
    {
        Assert.Equal("Field 'messages' is required and must be a non-empty array.", Validate(new ChatCompletionRequest()).Problem);
        Assert.Equal("Field 'messages' is required and must be a non-empty array.", Validate(new ChatCompletionRequest { Messages = [] }).Problem);
    }

    [Fact]
    public void SamplingSettingsAreCheckedTheSameOnBothSurfacesUnderEachOnesFieldName()
    {
        Assert.Equal("Field 'model' must be one of: grok-4, grok-3.", Validate(new ChatRequest { Message = "Hi" }, model: "gpt-5").Problem);
        Assert.Equal("Field 'temperature' must be a number from 0 to 2.", Validate(new ChatRequest { Message = "Hi", Temperature = 2.5 }).Problem);
        Assert.Equal("Field 'temperature' must be a number from 0 to 2.", Validate(new ChatRequest { Message = "Hi", Temperature = double.NaN }).Problem);
        Assert.Equal("Field 'maxTokens' must be an integer from 1 to 100.", Validate(new ChatRequest { Message = "Hi", MaxTokens = 101 }).Problem);
        Assert.Equal("Field 'max_tokens' must be an integer from 1 to 100.",
            Validate(new ChatCompletionRequest { Messages = [Message("user", "\"x\"")], MaxTokens = 0 }).Problem);
        Assert.Equal("Field 'max_completion_tokens' must be an integer from 1 to 100.",
            Validate(new ChatCompletionRequest { Messages = [Message("user", "\"x\"")], MaxTokens = 5, MaxCompletionTokens = 500 }).Problem);
    }
}
