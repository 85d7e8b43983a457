namespace NextEleven.Api.Chat;

/// <summary>One message of a <see cref="ChatDraft"/>: its role and text as sent, and where they sit in the request.</summary>
/// <param name="Field">The entry (<c>history[2]</c>), whose <c>.role</c> a role problem names.</param>
/// <param name="TextField">The field that holds the text (<c>history[2].content</c>, <c>message</c>).</param>
/// <param name="Text">The text, null when the field is missing or holds something the wire format cannot read as text.</param>
/// <param name="MayBeBlank">OpenAI's format allows an empty content; NextEleven's does not.</param>
/// <param name="TextExpected">What the text field must hold, for the problem when <paramref name="Text"/> is null.</param>
/// <param name="Problem">What is wrong with the entry's shape, found before any shared rule.</param>
internal sealed record DraftMessage(string Field, string? Role, string TextField, string? Text, bool MayBeBlank = false,
    string TextExpected = "is required and must be a string", string? Problem = null);
