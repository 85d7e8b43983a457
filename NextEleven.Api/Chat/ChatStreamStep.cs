namespace NextEleven.Api.Chat;

/// <summary>One piece of a streamed reply, each with the model as the provider last named it.</summary>
internal abstract record ChatStreamStep(string Model);
