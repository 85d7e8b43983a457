namespace NextEleven.Api.Chat;

/// <summary>A whole reply.</summary>
internal sealed record ChatAnswer(string Text, string Model, string FinishReason, ChatUsage Usage);
