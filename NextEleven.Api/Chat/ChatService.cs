using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NextEleven.Api.Budgets;
using NextEleven.Api.Providers;
using NextEleven.Api.RateLimiting;
using NextEleven.Api.Shutdown;
using NextEleven.Api.Usage;

namespace NextEleven.Api.Chat;

/// <summary>
/// The chat layer behind every surface: which model a client may use, its token budget, the provider
/// calls (system prompt, each target's deadline, the client's cancellation, the fallback from one target
/// to the next, the mapping of provider failures) and the accounting of what the call used. Answers in
/// domain results, never HTTP: each surface translates its own wire format to and from them.
/// <para>
/// A call goes to its public model's targets in order (<see cref="ChatRoutes"/>): an open target is
/// skipped without a call; a failure before the first byte that is not the request's fault moves on to
/// the next target; a stream that has started never moves (its failure is an in-band error). Each
/// attempt's outcome tells the target's breaker.
/// </para>
/// <para>
/// Accounting happens here and only here, for whole replies and streams alike: a call with a token
/// budget reserves its input estimate plus its output cap before it goes upstream, and one with a spend
/// budget that worst case at its targets' highest prices, with the cap sent upstream lowered to what the
/// reservations hold; each is settled to the usage (and its cost) the answering target reported when it ends. Attempts that failed before any output charge nothing; a stream that fails or
/// is cut after it started is settled to what the provider reported, or keeps its reservation when it reported nothing.
/// </para>
/// </summary>
internal sealed partial class ChatService(ChatRoutes routes, IOptions<ChatProviderOptions> options, TokenBudget budget,
    SpendBudget spendBudget, ChatMetrics metrics, ProviderMetrics providerMetrics, UsageRecorder ledger, StreamDrain drain, TimeProvider time, ILogger<ChatService> logger)
{
    private readonly ChatProviderOptions _options = options.Value;

    public string DefaultModel => _options.Model!;

    /// <summary>The models a request may name, the default first; worked out once.</summary>
    public IReadOnlyList<string> Models { get; } = options.Value.Models;

    public int MaxOutputTokens => _options.MaxOutputTokens;

    /// <summary>The provider of a public model's first target: who answers it while all is well.</summary>
    public string ProviderOf(string publicModel) => routes.For(publicModel)[0].Provider;

    /// <summary>
    /// The model a call runs on (null for the default), or a failure when the caller may not use the one
    /// asked for; a request naming none may be given its client's first model.
    /// </summary>
    public (string? Model, ChatFailure? Forbidden) ResolveModel(ChatCaller caller, string? asked) =>
        ModelAccess.Resolve(caller.Client, DefaultModel, asked);

    /// <summary>The models the caller may name.</summary>
    public IEnumerable<string> ModelsFor(ChatCaller caller) => ModelAccess.For(caller.Client, Models);

    /// <summary>The first target a public model would be tried on, for a call refused before any attempt.</summary>
    public ChatRouting RoutingBeforeAnyAttempt(string? publicModel) => new(routes.For(publicModel ?? DefaultModel)[0], 0);

    public async ValueTask<ChatOutcome<ChatAnswer>> CompleteAsync(ChatCaller caller, ChatTurn turn, CancellationToken aborted)
    {
        var conversation = Conversation(turn);
        var publicModel = turn.Model ?? DefaultModel;
        var targets = routes.For(publicModel);
        var (reservation, refusal) = await ReserveAsync<ChatAnswer>(caller, turn, conversation, targets);
        if (refusal is not null)
        {
            return refusal;
        }

        var attempts = 0;
        var tried = targets[0];
        var fellBack = false;
        ChatFailure? failure = null;
        try
        {
            foreach (var target in targets)
            {
                CountFallback(publicModel, target, targets, ref fellBack);
                if (!target.Breaker.TryEnter(out var isTrial))
                {
                    continue;
                }
                tried = target;
                // The offline responder makes no HTTP call to count.
                var calls = target.IsOffline ? null : ProviderCallCounter.Start();
                var attempt = await CallAsync(target, conversation, ChatOptionsFor(turn, target, reservation), isTrial, aborted);
                attempts += Math.Max(1, calls?.Value ?? 0);
                if (attempt.Response is { } response)
                {
                    var usage = UsageOf(response.Usage, target);
                    var (tokens, spend) = await SettleAsync(caller, publicModel, reservation, target, response.Usage, usage.Cost, delivered: true);
                    return new(new ChatAnswer(response.Text, response.ModelId ?? target.Model,
                        response.FinishReason?.Value ?? ChatFinishReason.Stop.Value, usage), null, tokens,
                        new ChatRouting(target, attempts), spend);
                }
                failure = attempt.Failure;
                if (!attempt.FallsBack)
                {
                    break;
                }
            }
        }
        catch
        {
            // The client went away, or a bug: no output was delivered, so nothing is charged.
            await SettleAsync(caller, publicModel, reservation, target: null, usage: null, cost: null, delivered: false);
            throw;
        }
        failure ??= EveryTargetOpen(publicModel, targets);
        var (tokensLeft, spendLeft) = await SettleAsync(caller, publicModel, reservation, target: null, usage: null, cost: null, delivered: false);
        return new(null, failure, tokensLeft, new ChatRouting(tried, attempts), spendLeft);
    }

    /// <summary>
    /// Starts a stream and waits for its first piece, so that a provider that fails outright is answered
    /// with a proper status code, or falls back to the next target; what fails later arrives as a final
    /// failure step. Each piece must come within the target's timeout of the one before.
    /// </summary>
    public async Task<ChatOutcome<IAsyncEnumerable<ChatStreamStep>>> StartStreamAsync(ChatCaller caller, ChatTurn turn,
        CancellationToken aborted)
    {
        var conversation = Conversation(turn);
        var publicModel = turn.Model ?? DefaultModel;
        var targets = routes.For(publicModel);
        var (reservation, refusal) = await ReserveAsync<IAsyncEnumerable<ChatStreamStep>>(caller, turn, conversation, targets);
        if (refusal is not null)
        {
            return refusal;
        }

        var attempts = 0;
        var tried = targets[0];
        var fellBack = false;
        ChatFailure? failure = null;
        foreach (var target in targets)
        {
            CountFallback(publicModel, target, targets, ref fellBack);
            if (!target.Breaker.TryEnter(out var isTrial))
            {
                continue;
            }
            tried = target;
            // The drain ends a stream when the process stops and its streams have had their time.
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Drained);
            deadline.CancelAfter(target.Timeout);
            var calls = target.IsOffline ? null : ProviderCallCounter.Start();
            var updates = target.Client.GetStreamingResponseAsync(conversation, ChatOptionsFor(turn, target, reservation), deadline.Token)
                .GetAsyncEnumerator(deadline.Token);
            Attempt<bool> started;
            try
            {
                started = await updates.MoveNextAsync()
                    ? new Attempt<bool>(true, null, FallsBack: false)
                    // Nothing at all: the provider answered a stream request with something that is not one.
                    : Failed<bool>(target, AttemptOutcome.ServerError, ProviderErrors.UnfinishedStream(logger, target.Name), null, isTrial);
            }
            catch (Exception) when (drain.Drained.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                target.Breaker.Released(isTrial);
                started = new Attempt<bool>(false, ProviderErrors.ShuttingDown(logger), FallsBack: false);
            }
            catch (Exception exception) when (!aborted.IsCancellationRequested
                && FailureOf(target, exception, deadline, isTrial) is { } failed)
            {
                started = failed.Cast<bool>();
            }
            catch
            {
                target.Breaker.Released(isTrial);
                await updates.DisposeAsync();
                deadline.Dispose();
                await SettleAsync(caller, publicModel, reservation, target: null, usage: null, cost: null, delivered: false);
                throw;
            }
            attempts += Math.Max(1, calls?.Value ?? 0);
            if (started.Response)
            {
                return new(Continue(caller, publicModel, target, isTrial, reservation, updates, deadline, aborted), null,
                    reservation.Tokens?.Balance, new ChatRouting(target, attempts), reservation.Spend?.Balance);
            }
            await updates.DisposeAsync();
            deadline.Dispose();
            failure = started.Failure;
            if (!started.FallsBack)
            {
                break;
            }
        }
        failure ??= EveryTargetOpen(publicModel, targets);
        var (tokensLeft, spendLeft) = await SettleAsync(caller, publicModel, reservation, target: null, usage: null, cost: null, delivered: false);
        return new(null, failure, tokensLeft, new ChatRouting(tried, attempts), spendLeft);
    }

    /// <summary>
    /// Passes the provider's pieces on until it says it has finished, then settles the call. A stream that
    /// ends without a finish reason (closed early, not an event stream, an error event inside it) is a
    /// failure, never a completion, and counts against its target.
    /// </summary>
    private async IAsyncEnumerable<ChatStreamStep> Continue(ChatCaller caller, string publicModel, ChatTarget target, bool isTrial,
        Reservation reservation, IAsyncEnumerator<ChatResponseUpdate> updates, CancellationTokenSource deadline,
        CancellationToken aborted, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        // Steps name the model as the provider reports it; metrics keep the public one the request resolved (a bounded label).
        var model = target.Model;
        UsageDetails? usage = null;
        ChatUsage? reported = null;
        var cut = false;
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
                // Indexed, not OfType: this runs for every piece of every stream.
                var contents = update.Contents;
                for (var i = 0; i < contents.Count; i++)
                {
                    if (contents[i] is UsageContent usageContent)
                    {
                        usage = usageContent.Details;
                    }
                }
                if (update.Text is { Length: > 0 } || first)
                {
                    yield return new ChatDelta(model, update.Text);
                    first = false;
                }
                deadline.CancelAfter(target.Timeout);
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
                    && ProviderErrors.Classify(exception, TimedOut(exception, deadline), target, logger) is { } mapped)
                {
                    failure = mapped;
                    cut = true;
                }
                if (failure is not null)
                {
                    yield return new ChatStreamFailed(model, failure);
                    yield break;
                }
            }
            if (finishReason is null)
            {
                cut = true;
                yield return new ChatStreamFailed(model, ProviderErrors.UnfinishedStream(logger, target.Name));
            }
            else
            {
                reported = UsageOf(usage, target);
                yield return new ChatFinished(model, finishReason, reported);
            }
        }
        finally
        {
            if (cut)
            {
                RecordFailure(target, AttemptOutcome.StreamCut, retryAfter: null, isTrial);
            }
            else
            {
                // Finished, or the client (or the drain) ended it: the target itself answered.
                Succeeded(target, isTrial);
            }
            // However the stream ended (finished, failed, or the client gone), output may have been
            // delivered: settle to what the provider reported, or keep the whole reservation.
            await SettleAsync(caller, publicModel, reservation, target, usage, usage is null ? null : (reported ?? UsageOf(usage, target)).Cost, delivered: true);
        }
    }

    /// <summary>One whole-reply call to one target, told to its breaker and its metric.</summary>
    private async ValueTask<Attempt<ChatResponse?>> CallAsync(ChatTarget target, IList<ChatMessage> conversation,
        ChatOptions chatOptions, bool isTrial, CancellationToken aborted)
    {
        if (target.IsOffline)
        {
            // The offline responder answers at once and cannot fail: no deadline timer to arm.
            var answer = await target.Client.GetResponseAsync(conversation, chatOptions, aborted);
            providerMetrics.Attempted(target, AttemptOutcome.Ok);
            return new(answer, null, FallsBack: false);
        }
        // The drain ends a call still waiting for its provider when the process stops and its time is over.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, drain.Drained);
        deadline.CancelAfter(target.Timeout);
        try
        {
            var response = await target.Client.GetResponseAsync(conversation, chatOptions, deadline.Token);
            Succeeded(target, isTrial);
            return new(response, null, FallsBack: false);
        }
        catch (Exception) when (drain.Drained.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            target.Breaker.Released(isTrial);
            return new(null, ProviderErrors.ShuttingDown(logger), FallsBack: false);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested && FailureOf(target, exception, deadline, isTrial) is { } failed)
        {
            return failed.Cast<ChatResponse?>();
        }
        catch
        {
            target.Breaker.Released(isTrial);
            throw;
        }
    }

    /// <summary>A provider failure before the first byte, told to the target's breaker; null for what is not one (a bug).</summary>
    private Attempt<object?>? FailureOf(ChatTarget target, Exception exception, CancellationTokenSource deadline, bool isTrial)
    {
        var timedOut = TimedOut(exception, deadline);
        if (ProviderErrors.Classify(exception, timedOut, target, logger) is not { } failure)
        {
            return null;
        }
        var provider = exception as ProviderException;
        var outcome = AttemptOutcomes.Of(provider, timedOut);
        var retryAfter = provider?.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return Failed<object?>(target, outcome, failure, retryAfter, isTrial);
    }

    private Attempt<T> Failed<T>(ChatTarget target, AttemptOutcome outcome, ChatFailure failure, TimeSpan? retryAfter, bool isTrial)
    {
        RecordFailure(target, outcome, retryAfter, isTrial);
        return new(default!, failure, outcome.FallsBack());
    }

    /// <summary>A failed attempt, told to its metric and its target's breaker; the breaker's opening is logged once.</summary>
    private void RecordFailure(ChatTarget target, AttemptOutcome outcome, TimeSpan? retryAfter, bool isTrial)
    {
        providerMetrics.Attempted(target, outcome);
        if (outcome == AttemptOutcome.RequestError)
        {
            // The request's own fault says nothing about the target.
            target.Breaker.Released(isTrial);
        }
        else if (target.Breaker.Failed(outcome, retryAfter, isTrial) is { } opened)
        {
            if (outcome == AttemptOutcome.CredentialsRefused)
            {
                Log.CredentialsRefused(logger, target.Provider, target.Name, opened);
            }
            else
            {
                Log.Opened(logger, target.Name, opened, outcome.Label());
            }
        }
    }

    /// <summary>Counts a request once when it goes past its model's first target, by a skip or a failure.</summary>
    private void CountFallback(string publicModel, ChatTarget target, IReadOnlyList<ChatTarget> targets, ref bool fellBack)
    {
        if (!fellBack && target != targets[0])
        {
            fellBack = true;
            providerMetrics.FellBack(publicModel);
        }
    }

    private void Succeeded(ChatTarget target, bool isTrial)
    {
        providerMetrics.Attempted(target, AttemptOutcome.Ok);
        target.Breaker.Succeeded(isTrial);
        if (isTrial)
        {
            Log.Closed(logger, target.Name);
        }
    }

    /// <summary>Every target of the model skipped because its breaker is open: 503, and when the first of them will be tried again.</summary>
    private ChatFailure EveryTargetOpen(string publicModel, IReadOnlyList<ChatTarget> targets)
    {
        var firstTrial = targets.Min(t => t.Breaker.OpenUntil);
        var seconds = RateLimitPolicy.SecondsUntil(firstTrial, time.GetUtcNow());
        return new ChatFailure(ChatFailureKind.ProviderUnavailable,
            $"Every provider of model '{publicModel}' is unavailable for now. Try again in {seconds} seconds.", seconds);
    }

    /// <summary>
    /// Reserves the call's tokens and its worst-case cost when its client has those budgets, the output cap
    /// lowered to what both hold. The input estimate is the conversation's UTF-8 length plus a few tokens
    /// per message for the chat template: a token of a byte-level BPE tokenizer (GPT, Grok, Llama) covers
    /// at least one byte, so this is an upper bound for them. A call refused by its spend budget gives its
    /// tokens back.
    /// </summary>
    private async ValueTask<(Reservation Reservation, ChatOutcome<TResult>? Refusal)> ReserveAsync<TResult>(ChatCaller caller, ChatTurn turn,
        IList<ChatMessage> conversation, IReadOnlyList<ChatTarget> targets) where TResult : class
    {
        var outputCap = turn.MaxTokens ?? _options.MaxOutputTokens;
        if (caller.TokenBudget is null && caller.SpendBudget is null)
        {
            return (new Reservation(null, null, turn.MaxTokens), null);
        }
        var estimate = InputEstimate(conversation);
        TokenReservation? tokens = null;
        if (caller.TokenBudget is { } tokenBudget)
        {
            tokens = await budget.ReserveAsync(tokenBudget, caller.Partition, estimate, outputCap);
            if (!tokens.IsGranted)
            {
                return (new Reservation(tokens, null, 0), new(null, new ChatFailure(ChatFailureKind.TokenBudgetExhausted, "Token budget exhausted.",
                    tokens.Balance.SecondsUntilReset), tokens.Balance, new ChatRouting(targets[0], 0)));
            }
            outputCap = tokens.OutputCap;
        }
        if (caller.SpendBudget is not { } spendLimit)
        {
            return (new Reservation(tokens, null, outputCap), null);
        }
        var (inputPrice, outputPrice) = HighestPrices(targets);
        var spend = await spendBudget.ReserveAsync(spendLimit, caller.Partition, caller.ClientId, estimate, outputCap, inputPrice, outputPrice);
        if (!spend.IsGranted)
        {
            var tokensLeft = tokens is null ? null : await budget.SettleAsync(tokens, 0);
            return (new Reservation(tokens, spend, 0), new(null, new ChatFailure(ChatFailureKind.SpendBudgetExhausted, "Spend budget exhausted.",
                spend.Balance.SecondsUntilReset), tokensLeft, new ChatRouting(targets[0], 0), spend.Balance));
        }
        return (new Reservation(tokens, spend, spend.OutputCap), null);
    }

    /// <summary>
    /// The highest prices among a call's targets, in USD per million tokens (micro-dollars per token): the
    /// worst case wherever the call ends up. Input counts the cached price too, should it be the higher; a
    /// target without a price adds nothing (the start-up check refuses that under a spend budget, and such
    /// a call is charged its whole reservation).
    /// </summary>
    private static (decimal Input, decimal Output) HighestPrices(IReadOnlyList<ChatTarget> targets)
    {
        decimal input = 0, output = 0;
        foreach (var target in targets)
        {
            if (target.Price is { } price)
            {
                input = Math.Max(input, Math.Max(price.Input, price.CachedInput ?? price.Input));
                output = Math.Max(output, price.Output);
            }
        }
        return (input, output);
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
    /// Counts the provider's reported usage, and settles the reservations to it and to its cost. Without a
    /// report, a call that delivered output keeps its reservations (it may have used all of them) and one
    /// that did not gives them back.
    /// </summary>
    private async ValueTask<(BudgetBalance? Tokens, BudgetBalance? Spend)> SettleAsync(ChatCaller caller, string model, Reservation reservation,
        ChatTarget? target, UsageDetails? usage, decimal? cost, bool delivered)
    {
        if (usage is not null)
        {
            metrics.Used(caller.ClientId, model, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, cost);
            if (target is not null)
            {
                ledger.Record(caller.ClientId, target.Name,
                    UsageTotals.OneCall(usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, usage.OutputTokenCount ?? 0, cost));
            }
        }
        BudgetBalance? tokens = null, spend = null;
        if (reservation.Tokens is { } tokenReservation)
        {
            var used = usage is not null ? usage.TotalTokenCount ?? (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)
                : delivered ? tokenReservation.Take.Granted
                : 0;
            tokens = await budget.SettleAsync(tokenReservation, used);
        }
        if (reservation.Spend is { } spendReservation)
        {
            // The offline responder costs nothing unless priced; a reported usage without a price (an unpriced
            // target) is no cost known, so the call keeps its reservation.
            var spent = target is { IsOffline: true, Price: null } ? 0m : usage is not null ? cost : null;
            spend = await spendBudget.SettleAsync(spendReservation, spent, delivered || usage is not null);
        }
        return (tokens, spend);
    }

    /// <summary>
    /// The provider's usage as the surfaces report it (zeros when the provider reported none), with its cost
    /// when the target has a price and the provider reported usage. A priced provider's first call without
    /// a price is told once.
    /// </summary>
    private ChatUsage UsageOf(UsageDetails? usage, ChatTarget target)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        decimal? cost = null;
        if (usage is not null && target.Price is { } price)
        {
            cost = CallCost.Of(price, input, usage.CachedInputTokenCount ?? 0, output);
        }
        else if (usage is not null && !target.IsOffline && target.FirstCallWithoutPrice())
        {
            Log.Unpriced(logger, target.Name, target.Model);
        }
        return new ChatUsage(input, output, usage?.TotalTokenCount ?? input + output, cost);
    }

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

    /// <summary>The call's options on one target; with a budget, the output cap is what the reservations hold.</summary>
    private static ChatOptions ChatOptionsFor(ChatTurn turn, ChatTarget target, Reservation reservation) => new()
    {
        ModelId = target.Model,
        Temperature = (float?)turn.Temperature,
        MaxOutputTokens = reservation.OutputCap,
    };

    /// <summary>What a call holds of its client's budgets (each null when the client has none), and the output cap they leave.</summary>
    private sealed record Reservation(TokenReservation? Tokens, SpendReservation? Spend, int? OutputCap);

    /// <summary>
    /// A cancellation that the client did not cause is a timeout: this call's deadline, or a timeout of the
    /// connection to the provider, whichever fired first. Callers only ask while the client is still there.
    /// </summary>
    private static bool TimedOut(Exception exception, CancellationTokenSource deadline) =>
        deadline.IsCancellationRequested || ProviderFailures.IsTimeoutOrCancellation(exception);

    /// <summary>One attempt's result: what it answered, or its failure and whether the next target is tried.</summary>
    private readonly record struct Attempt<T>(T Response, ChatFailure? Failure, bool FallsBack)
    {
        public Attempt<TOther> Cast<TOther>() => new(default!, Failure, FallsBack);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error,
            Message = "The provider {Provider} refused the server's key: {Target} is skipped for {Break}. Check Chat:Providers:{Provider}:ApiKey (or the provider key variable).")]
        public static partial void CredentialsRefused(ILogger logger, string provider, string target, TimeSpan @break);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Target} is skipped for {Break} after {Outcome}: its breaker is open")]
        public static partial void Opened(ILogger logger, string target, TimeSpan @break, string outcome);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "{Target} has no price: its calls report no cost. Set Chat:Prices:{Target} (or Chat:Prices:{Model}) in USD per million tokens")]
        public static partial void Unpriced(ILogger logger, string target, string model);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Target} answered its trial call: its breaker is closed")]
        public static partial void Closed(ILogger logger, string target);
    }
}
