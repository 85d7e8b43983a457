using System.ClientModel;
using System.ClientModel.Primitives;
using NextEleven.Api.Tests.Chat;
using NextEleven.Api.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace NextEleven.Api.Tests.OpenAiCompat;

/// <summary>The official OpenAI .NET SDK as the client of /api/v1, with the NextEleven key as its API key.</summary>
public sealed class OpenAiSdkTests : FakeProviderTests
{
    [Fact]
    public async Task TheOpenAiSdkCompletesAChatThroughTheService()
    {
        using var factory = FactoryFor();
        var client = SdkClient(factory, NextElevenApiFactory.TestApiKey);

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hello")]);

        Assert.Equal("Hello from the provider", completion.Content[0].Text);
        Assert.Equal(FakeProvider.Model, completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(12, completion.Usage.InputTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        var upstream = Assert.Single(Provider.Requests);
        Assert.Equal($"Bearer {ProviderKey}", upstream.Authorization);
        Assert.Equal(["system", "user"], upstream.Body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheOpenAiSdkStreamsAChatWithUsage()
    {
        Provider.Respond = Replies.Stream(["Hello", ", ", "world"]);
        using var factory = FactoryFor();
        var client = SdkClient(factory, NextElevenApiFactory.TestApiKey);

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("Hello, world", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(17, usage.TotalTokenCount);
    }

    [Fact]
    public async Task TheOpenAiSdkListsTheAllowedModels()
    {
        using var factory = FactoryFor(("Chat:AllowedModels:0", "grok-other"));
        var models = new OpenAIClient(new ApiKeyCredential(NextElevenApiFactory.TestApiKey), Options(factory)).GetOpenAIModelClient();

        var list = await models.GetModelsAsync();

        Assert.Equal(["grok-test", "grok-other"], list.Value.Select(m => m.Id));
    }

    [Fact]
    public async Task TheOpenAiSdkWithAWrongKeyGets401()
    {
        using var factory = FactoryFor();
        var client = SdkClient(factory, "not-the-nexteleven-key");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(401, failure.Status);
        Assert.Empty(Provider.Requests);
    }

    [Fact]
    public async Task TheOpenAiSdkShowsWhatIsWrongWithARequest()
    {
        using var factory = FactoryFor();
        var client = SdkClient(factory, NextElevenApiFactory.TestApiKey);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { MaxOutputTokenCount = 0 }));

        Assert.Equal(400, failure.Status);
        // The SDK reads OpenAI's error object: its message, not just the status, reaches the developer.
        Assert.Contains("Field 'max_completion_tokens' must be an integer from 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_request", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Provider.Requests);
    }

    private static ChatClient SdkClient(NextElevenApiFactory factory, string apiKey) =>
        new(FakeProvider.Model, new ApiKeyCredential(apiKey), Options(factory));

    private static OpenAIClientOptions Options(NextElevenApiFactory factory) => new()
    {
        Endpoint = new Uri(factory.Server.BaseAddress, "/api/v1"),
        Transport = new HttpClientPipelineTransport(factory.CreateClient()),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    };
}
