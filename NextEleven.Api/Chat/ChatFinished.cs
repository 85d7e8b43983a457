namespace NextEleven.Api.Chat;

/// <summary>The last piece of a stream that the provider finished: its finish reason and usage.</summary>
internal sealed record ChatFinished(string Model, string FinishReason, ChatUsage Usage) : ChatStreamStep(Model);
