using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Errors;
using NextEleven.Api.Shutdown;

namespace NextEleven.Api.Chat;

/// <summary>One conversation, as both chat surfaces (<c>/api/chat</c> and <c>/api/v1</c>) hand it over.</summary>
public sealed record ChatTurn(IList<ChatMessage> Messages, string? Model, double? Temperature, int? MaxTokens);

/// <summary>One piece of a streamed reply: a text delta, the final usage and finish reason, or a failure.</summary>
public sealed record ChatStreamStep(ChatResponseUpdate? Update, ApiErrorResult? Failure);

/// <summary>
/// Calls the provider for both chat surfaces: the system prompt, the deadline (<c>Chat:Timeout</c>), the
/// client's cancellation and the mapping of provider failures, in one place.
/// </summary>
public sealed class ChatService(IChatClient chat, IOptions<ChatProviderOptions> options, StreamDrain drain, ILogger<ChatService> logger)
{
    private readonly ChatProviderOptions _options = options.Value;

    public string Provider => _options.ProviderLabel;

    public string DefaultModel => _options.Model!;

    /// <summary>The models a request may name, the default first; worked out once.</summary>
    public IReadOnlyList<string> Models { get; } = options.Value.Models;

    public int MaxOutputTokens => _options.MaxOutputTokens;

    public async Task<(ChatResponse? Response, ApiErrorResult? Failure)> CompleteAsync(ChatTurn turn, CancellationToken aborted)
    {
        if (_options.IsEcho)
        {
            // The offline responder answers at once and cannot fail: no deadline timer to arm.
            return (await chat.GetResponseAsync(Conversation(turn), ChatOptionsFor(turn), aborted), null);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            return (await chat.GetResponseAsync(Conversation(turn), ChatOptionsFor(turn), deadline.Token), null);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested
            && ProviderFaults.Classify(exception, TimedOut(exception, deadline), _options.Timeout, logger) is { } failure)
        {
            return (null, failure);
        }
    }

    /// <summary>
    /// Starts a stream and waits for its first piece, so that a provider that fails outright is answered
    /// with a proper status code; what fails later arrives as a final failure step. Each piece must come
    /// within <c>Chat:Timeout</c> of the one before.
    /// </summary>
    public async Task<(IAsyncEnumerable<ChatStreamStep>? Steps, ApiErrorResult? Failure)> StartStreamAsync(
        ChatTurn turn, CancellationToken aborted)
    {
        // The drain ends a stream when the process stops and its streams have had their time.
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Drained);
        deadline.CancelAfter(_options.Timeout);
        var updates = chat.GetStreamingResponseAsync(Conversation(turn), ChatOptionsFor(turn), deadline.Token)
            .GetAsyncEnumerator(deadline.Token);
        try
        {
            if (!await updates.MoveNextAsync())
            {
                // Nothing at all: the provider answered a stream request with something that is not one.
                await updates.DisposeAsync();
                deadline.Dispose();
                return (null, Unfinished());
            }
            return (Continue(updates, deadline, aborted), null);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested
            && ProviderFaults.Classify(exception, TimedOut(exception, deadline), _options.Timeout, logger) is { } failure)
        {
            await updates.DisposeAsync();
            deadline.Dispose();
            return (null, failure);
        }
    }

    /// <summary>
    /// Passes the provider's pieces on until it says it has finished. A stream that ends without a finish
    /// reason (closed early, not an event stream, an error event inside it) is a failure, never a completion.
    /// </summary>
    private async IAsyncEnumerable<ChatStreamStep> Continue(IAsyncEnumerator<ChatResponseUpdate> updates,
        CancellationTokenSource deadline, CancellationToken aborted, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await using var _ = updates;
        using var __ = deadline;
        var hasCurrent = true;
        var finished = false;
        while (hasCurrent)
        {
            finished |= updates.Current.FinishReason is not null;
            yield return new ChatStreamStep(updates.Current, null);
            deadline.CancelAfter(_options.Timeout);
            ApiErrorResult? failure = null;
            try
            {
                hasCurrent = await updates.MoveNextAsync();
            }
            catch (Exception) when (drain.Drained.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                failure = ProviderFaults.ShuttingDown(logger);
            }
            catch (Exception exception) when (!aborted.IsCancellationRequested && !cancellation.IsCancellationRequested
                && ProviderFaults.Classify(exception, TimedOut(exception, deadline), _options.Timeout, logger) is { } mapped)
            {
                failure = mapped;
            }
            if (failure is not null)
            {
                yield return new ChatStreamStep(null, failure);
                yield break;
            }
        }
        if (!finished)
        {
            yield return new ChatStreamStep(null, Unfinished());
        }
    }

    private ApiErrorResult Unfinished() => ProviderFaults.UnfinishedStream(logger);

    private IList<ChatMessage> Conversation(ChatTurn turn)
    {
        if (string.IsNullOrWhiteSpace(_options.SystemPrompt))
        {
            return turn.Messages;
        }
        var messages = new List<ChatMessage>(turn.Messages.Count + 1) { new(ChatRole.System, _options.SystemPrompt) };
        messages.AddRange(turn.Messages);
        return messages;
    }

    private ChatOptions ChatOptionsFor(ChatTurn turn) => new()
    {
        ModelId = turn.Model ?? _options.Model,
        Temperature = (float?)turn.Temperature,
        MaxOutputTokens = turn.MaxTokens,
    };

    /// <summary>
    /// A cancellation that the client did not cause is a timeout: this call's deadline, or the SDK's own
    /// network timeout, whichever fired first. Callers only ask while the client is still there.
    /// </summary>
    private static bool TimedOut(Exception exception, CancellationTokenSource deadline) =>
        deadline.IsCancellationRequested || ProviderErrorBoundary.IsTimeoutOrCancellation(exception);
}
