namespace NextEleven.Api.Chat;

/// <summary>Why a chat call was not answered, in words for the client, and when to try again if that is known.</summary>
internal sealed record ChatFailure(ChatFailureKind Kind, string Message, int? RetryAfterSeconds = null);
