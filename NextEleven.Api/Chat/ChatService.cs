using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Shutdown;

namespace NextEleven.Api.Chat;

/// <summary>
/// The chat layer behind every surface: which model a client may use, its token budget, the provider call
/// (system prompt, deadline <c>Chat:Timeout</c>, the client's cancellation, the mapping of provider
/// failures) and the accounting of what the call used. Answers in domain results, never HTTP: each surface
/// translates its own wire format to and from them.
/// <para>
/// Accounting happens here and only here, for whole replies and streams alike: a call with a token
/// budget reserves its input estimate plus its output cap before it goes upstream, with the cap sent
/// upstream lowered to what the reservation holds, and is settled to the provider's reported usage when it
/// ends. A call that fails before any output gives its reservation back; a stream that fails or is cut
/// after it started is settled to what the provider reported, or keeps its reservation when it reported nothing.
/// </para>
/// </summary>
internal sealed class ChatService(IChatClient chat, IOptions<ChatProviderOptions> options, TokenBudget budget, ChatMetrics metrics,
    StreamDrain drain, ILogger<ChatService> logger)
{
    private readonly ChatProviderOptions _options = options.Value;

    public string Provider => _options.ProviderLabel;

    public string DefaultModel => _options.Model!;

    /// <summary>The models a request may name, the default first; worked out once.</summary>
    public IReadOnlyList<string> Models { get; } = options.Value.Models;

    public int MaxOutputTokens => _options.MaxOutputTokens;

    /// <summary>
    /// The model a call runs on (null for the default), or a failure when the caller may not use the one
    /// asked for; a request naming none may be given its client's first model.
    /// </summary>
    public (string? Model, ChatFailure? Forbidden) ResolveModel(ChatCaller caller, string? asked) =>
        ModelAccess.Resolve(caller.Client, DefaultModel, asked);

    /// <summary>The models the caller may name.</summary>
    public IEnumerable<string> ModelsFor(ChatCaller caller) => ModelAccess.For(caller.Client, Models);

    public async ValueTask<ChatOutcome<ChatAnswer>> CompleteAsync(ChatCaller caller, ChatTurn turn, CancellationToken aborted)
    {
        var conversation = Conversation(turn);
        var (reservation, refusal) = await ReserveAsync(caller, turn, conversation);
        if (refusal is not null)
        {
            return new(null, refusal, reservation!.Balance);
        }
        var chatOptions = ChatOptionsFor(turn, reservation);
        var model = turn.Model ?? DefaultModel;

        (ChatResponse? Response, ChatFailure? Failure) call;
        try
        {
            call = await GetResponseAsync(conversation, chatOptions, aborted);
        }
        catch
        {
            // The client went away, or a bug: no output was delivered, so nothing is charged.
            await SettleAsync(caller, model, reservation, usage: null, delivered: false);
            throw;
        }
        if (call.Failure is not null)
        {
            return new(null, call.Failure, await SettleAsync(caller, model, reservation, usage: null, delivered: false));
        }
        var response = call.Response!;
        var tokens = await SettleAsync(caller, model, reservation, response.Usage, delivered: true);
        return new(new ChatAnswer(response.Text, response.ModelId ?? model, response.FinishReason?.Value ?? ChatFinishReason.Stop.Value,
            UsageOf(response.Usage)), null, tokens);
    }

    /// <summary>
    /// Starts a stream and waits for its first piece, so that a provider that fails outright is answered
    /// with a proper status code; what fails later arrives as a final failure step. Each piece must come
    /// within <c>Chat:Timeout</c> of the one before.
    /// </summary>
    public async Task<ChatOutcome<IAsyncEnumerable<ChatStreamStep>>> StartStreamAsync(ChatCaller caller, ChatTurn turn,
        CancellationToken aborted)
    {
        var conversation = Conversation(turn);
        var (reservation, refusal) = await ReserveAsync(caller, turn, conversation);
        if (refusal is not null)
        {
            return new(null, refusal, reservation!.Balance);
        }
        var model = turn.Model ?? DefaultModel;

        // The drain ends a stream when the process stops and its streams have had their time.
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Drained);
        deadline.CancelAfter(_options.Timeout);
        var updates = chat.GetStreamingResponseAsync(conversation, ChatOptionsFor(turn, reservation), deadline.Token)
            .GetAsyncEnumerator(deadline.Token);
        ChatFailure? failure;
        try
        {
            failure = await updates.MoveNextAsync()
                ? null
                // Nothing at all: the provider answered a stream request with something that is not one.
                : ProviderErrors.UnfinishedStream(logger);
        }
        catch (Exception) when (drain.Drained.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            failure = ProviderErrors.ShuttingDown(logger);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested
            && ProviderErrors.Classify(exception, TimedOut(exception, deadline), _options.Timeout, logger) is { } mapped)
        {
            failure = mapped;
        }
        catch
        {
            await updates.DisposeAsync();
            deadline.Dispose();
            await SettleAsync(caller, model, reservation, usage: null, delivered: false);
            throw;
        }
        if (failure is not null)
        {
            await updates.DisposeAsync();
            deadline.Dispose();
            return new(null, failure, await SettleAsync(caller, model, reservation, usage: null, delivered: false));
        }
        return new(Continue(caller, model, reservation, updates, deadline, aborted), null, reservation?.Balance);
    }

    /// <summary>
    /// Passes the provider's pieces on until it says it has finished, then settles the call. A stream that
    /// ends without a finish reason (closed early, not an event stream, an error event inside it) is a
    /// failure, never a completion.
    /// </summary>
    private async IAsyncEnumerable<ChatStreamStep> Continue(ChatCaller caller, string requestedModel, TokenReservation? reservation,
        IAsyncEnumerator<ChatResponseUpdate> updates, CancellationTokenSource deadline, CancellationToken aborted,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        // Steps name the model as the provider reports it; metrics keep the one the request resolved (a bounded label).
        var model = requestedModel;
        UsageDetails? usage = null;
        try
        {
            await using var _ = updates;
            using var __ = deadline;
            string? finishReason = null;
            var first = true;
            var hasCurrent = true;
            while (hasCurrent)
            {
                var update = updates.Current;
                model = update.ModelId ?? model;
                finishReason = update.FinishReason?.Value ?? finishReason;
                foreach (var content in update.Contents.OfType<UsageContent>())
                {
                    usage = content.Details;
                }
                if (update.Text is { Length: > 0 } || first)
                {
                    yield return new ChatDelta(model, update.Text);
                    first = false;
                }
                deadline.CancelAfter(_options.Timeout);
                ChatFailure? failure = null;
                try
                {
                    hasCurrent = await updates.MoveNextAsync();
                }
                catch (Exception) when (drain.Drained.IsCancellationRequested && !aborted.IsCancellationRequested)
                {
                    failure = ProviderErrors.ShuttingDown(logger);
                }
                catch (Exception exception) when (!aborted.IsCancellationRequested && !cancellation.IsCancellationRequested
                    && ProviderErrors.Classify(exception, TimedOut(exception, deadline), _options.Timeout, logger) is { } mapped)
                {
                    failure = mapped;
                }
                if (failure is not null)
                {
                    yield return new ChatStreamFailed(model, failure);
                    yield break;
                }
            }
            yield return finishReason is null
                ? new ChatStreamFailed(model, ProviderErrors.UnfinishedStream(logger))
                : new ChatFinished(model, finishReason, UsageOf(usage));
        }
        finally
        {
            // However the stream ended (finished, failed, or the client gone), output may have been
            // delivered: settle to what the provider reported, or keep the whole reservation.
            await SettleAsync(caller, requestedModel, reservation, usage, delivered: true);
        }
    }

    /// <summary>
    /// Reserves the call's tokens when its client has a budget. The input estimate is the conversation's
    /// UTF-8 length plus a few tokens per message for the chat template: a token of a byte-level BPE
    /// tokenizer (GPT, Grok, Llama) covers at least one byte, so this is an upper bound for them.
    /// </summary>
    private async ValueTask<(TokenReservation? Reservation, ChatFailure? Refusal)> ReserveAsync(ChatCaller caller, ChatTurn turn,
        IList<ChatMessage> conversation)
    {
        if (caller.TokenBudget is not { } tokenBudget)
        {
            return (null, null);
        }
        var reservation = await budget.ReserveAsync(tokenBudget, caller.Partition, InputEstimate(conversation),
            turn.MaxTokens ?? _options.MaxOutputTokens);
        return reservation.IsGranted
            ? (reservation, null)
            : (reservation, new ChatFailure(ChatFailureKind.TokenBudgetExhausted, "Token budget exhausted.",
                reservation.Balance.SecondsUntilReset));
    }

    internal static long InputEstimate(IList<ChatMessage> conversation)
    {
        const int TemplateTokensPerMessage = 8;
        const int TemplateTokensPerReply = 8;
        long estimate = TemplateTokensPerReply;
        foreach (var message in conversation)
        {
            estimate += System.Text.Encoding.UTF8.GetByteCount(message.Text) + TemplateTokensPerMessage;
        }
        return estimate;
    }

    /// <summary>
    /// Counts the provider's reported usage, and settles the reservation to it. Without a report, a call
    /// that delivered output keeps its reservation (it may have used all of it) and one that did not gives it back.
    /// </summary>
    private async ValueTask<TokenBalance?> SettleAsync(ChatCaller caller, string model, TokenReservation? reservation,
        UsageDetails? usage, bool delivered)
    {
        if (usage is not null)
        {
            metrics.Used(caller.ClientId, model, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0);
        }
        if (reservation is null)
        {
            return null;
        }
        var used = usage is not null ? UsageOf(usage).TotalTokens
            : delivered ? reservation.Take.Granted
            : 0;
        return await budget.SettleAsync(reservation, used);
    }

    private async ValueTask<(ChatResponse? Response, ChatFailure? Failure)> GetResponseAsync(IList<ChatMessage> conversation,
        ChatOptions chatOptions, CancellationToken aborted)
    {
        if (_options.IsEcho)
        {
            // The offline responder answers at once and cannot fail: no deadline timer to arm.
            return (await chat.GetResponseAsync(conversation, chatOptions, aborted), null);
        }
        // The drain ends a call still waiting for its provider when the process stops and its time is over.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Drained);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            return (await chat.GetResponseAsync(conversation, chatOptions, deadline.Token), null);
        }
        catch (Exception) when (drain.Drained.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return (null, ProviderErrors.ShuttingDown(logger));
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested
            && ProviderErrors.Classify(exception, TimedOut(exception, deadline), _options.Timeout, logger) is { } failure)
        {
            return (null, failure);
        }
    }

    /// <summary>The provider's usage as the surfaces report it; zeros when the provider reported none.</summary>
    public static ChatUsage UsageOf(UsageDetails? usage) => new(
        usage?.InputTokenCount ?? 0,
        usage?.OutputTokenCount ?? 0,
        usage?.TotalTokenCount ?? (usage?.InputTokenCount ?? 0) + (usage?.OutputTokenCount ?? 0));

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

    /// <summary>The call's options; with a token budget, the output cap is what the reservation holds.</summary>
    private ChatOptions ChatOptionsFor(ChatTurn turn, TokenReservation? reservation) => new()
    {
        ModelId = turn.Model ?? _options.Model,
        Temperature = (float?)turn.Temperature,
        MaxOutputTokens = reservation?.OutputCap ?? turn.MaxTokens,
    };

    /// <summary>
    /// A cancellation that the client did not cause is a timeout: this call's deadline, or the SDK's own
    /// network timeout, whichever fired first. Callers only ask while the client is still there.
    /// </summary>
    private static bool TimedOut(Exception exception, CancellationTokenSource deadline) =>
        deadline.IsCancellationRequested || ProviderErrorBoundary.IsTimeoutOrCancellation(exception);
}
