namespace NextEleven.Api.Chat;

/// <summary>
/// A chat request as its wire format reads it, before the rules every surface shares are checked
/// (<see cref="ChatRequestValidator"/>). Field names are the wire format's, so each problem names the field
/// the client sent.
/// </summary>
/// <param name="Messages">The conversation in order, the new message last.</param>
/// <param name="Roles">The roles this wire format accepts, as it spells them.</param>
/// <param name="ListField">The list that holds earlier messages (<c>history</c>, <c>messages</c>), null when the request has none.</param>
/// <param name="ListCount">How many entries that list has.</param>
/// <param name="ListHoldsNewMessage">Whether the list holds the new message too (<c>messages</c>) or only earlier ones (<c>history</c>).</param>
internal sealed record ChatDraft(
    IReadOnlyList<DraftMessage> Messages,
    IReadOnlyList<string> Roles,
    string? ListField,
    int ListCount,
    bool ListHoldsNewMessage,
    double? Temperature,
    int? MaxTokens,
    string MaxTokensField);
