namespace NextEleven.Api.Chat;

/// <summary>The last piece of a stream that failed after it started.</summary>
internal sealed record ChatStreamFailed(string Model, ChatFailure Failure) : ChatStreamStep(Model);
