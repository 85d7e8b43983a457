namespace NextEleven.Api.Chat;

/// <summary>Text. The first piece of a stream always comes as one, even without text, so a surface can open its reply.</summary>
internal sealed record ChatDelta(string Model, string Text) : ChatStreamStep(Model);
