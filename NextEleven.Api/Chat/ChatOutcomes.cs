using Microsoft.Extensions.AI;
using NextEleven.Api.Clients;
using NextEleven.Api.RateLimiting;

namespace NextEleven.Api.Chat;

/// <summary>Who a chat call is for: its client (null without a valid key), whose budgets it draws on.</summary>
internal sealed record ChatCaller(ApiClient? Client, ClientKey Partition, RateLimitPolicy? TokenBudget)
{
    /// <summary>The client id metrics name the call by; <c>anonymous</c> without a valid key.</summary>
    public string ClientId => Client?.Id ?? ClientRateLimiter.AnonymousClientId;
}

/// <summary>One conversation, as every chat surface hands it over once its wire format is read and checked.</summary>
internal sealed record ChatTurn(IList<ChatMessage> Messages, string? Model, double? Temperature, int? MaxTokens);

/// <summary>Why a chat call was not answered; each surface says it in its own wire format.</summary>
internal enum ChatFailureKind
{
    /// <summary>The client may not use the model it asked for.</summary>
    ModelNotAllowed,

    /// <summary>The client's token budget cannot cover the call.</summary>
    TokenBudgetExhausted,

    /// <summary>The provider failed, refused the server's credentials, or answered something unreadable.</summary>
    ProviderFailed,

    /// <summary>The provider is rate limiting this server, or the server is shutting down.</summary>
    ProviderUnavailable,

    /// <summary>The provider did not answer within <c>Chat:Timeout</c>.</summary>
    ProviderTimedOut,
}

internal sealed record ChatFailure(ChatFailureKind Kind, string Message, int? RetryAfterSeconds = null);

/// <summary>A whole reply.</summary>
internal sealed record ChatAnswer(string Text, string Model, string FinishReason, ChatUsage Usage);

/// <summary>
/// What a chat call came to: a result or a failure, and the client's token budget as it stands (after
/// settlement for a whole reply, after the reservation for a stream; null when the client has no budget).
/// </summary>
internal sealed record ChatOutcome<TResult>(TResult? Result, ChatFailure? Failure, TokenBalance? Tokens) where TResult : class;

/// <summary>One piece of a streamed reply, each with the model as the provider last named it.</summary>
internal abstract record ChatStreamStep(string Model);

/// <summary>Text. The first piece of a stream always comes as one, even without text, so a surface can open its reply.</summary>
internal sealed record ChatDelta(string Model, string Text) : ChatStreamStep(Model);

/// <summary>The last piece of a stream that the provider finished: its finish reason and usage.</summary>
internal sealed record ChatFinished(string Model, string FinishReason, ChatUsage Usage) : ChatStreamStep(Model);

/// <summary>The last piece of a stream that failed after it started.</summary>
internal sealed record ChatStreamFailed(string Model, ChatFailure Failure) : ChatStreamStep(Model);
