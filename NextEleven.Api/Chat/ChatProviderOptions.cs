using System.ComponentModel.DataAnnotations;

namespace NextEleven.Api.Chat;

/// <summary>Which LLM provider answers chat (section <c>Chat</c>).</summary>
public sealed class ChatProviderOptions
{
    public const string SectionName = "Chat";

    /// <summary><c>echo</c>: the built-in offline responder, needing no account and no network.</summary>
    [Required, AllowedValues(EchoChatClient.ProviderName, ErrorMessage = "Chat:Provider must be 'echo'.")]
    public string Provider { get; set; } = EchoChatClient.ProviderName;
}
