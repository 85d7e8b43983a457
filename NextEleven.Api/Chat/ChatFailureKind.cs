namespace NextEleven.Api.Chat;

/// <summary>Why a chat call was not answered; each surface says it in its own wire format.</summary>
internal enum ChatFailureKind
{
    /// <summary>The client may not use the model it asked for.</summary>
    ModelNotAllowed,

    /// <summary>The client's token budget cannot cover the call.</summary>
    TokenBudgetExhausted,

    /// <summary>The client's spend budget cannot cover the call's worst case.</summary>
    SpendBudgetExhausted,

    /// <summary>The provider failed, refused the server's credentials, or answered something unreadable.</summary>
    ProviderFailed,

    /// <summary>The provider is rate limiting this server, or the server is shutting down.</summary>
    ProviderUnavailable,

    /// <summary>The provider did not answer within <c>Chat:Timeout</c>.</summary>
    ProviderTimedOut,
}
