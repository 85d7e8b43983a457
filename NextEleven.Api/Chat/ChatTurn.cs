using Microsoft.Extensions.AI;

namespace NextEleven.Api.Chat;

/// <summary>One conversation, as every chat surface hands it over once its wire format is read and checked.</summary>
internal sealed record ChatTurn(IList<ChatMessage> Messages, string? Model, double? Temperature, int? MaxTokens);
