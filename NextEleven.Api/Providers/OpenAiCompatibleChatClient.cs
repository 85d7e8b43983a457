using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace NextEleven.Api.Providers;

/// <summary>
/// Any OpenAI-compatible chat completions endpoint (xAI, OpenAI, Ollama, vLLM, LM Studio) as the chat layer
/// calls it, written for a gateway's hot path. The request is written once with <see cref="Utf8JsonWriter"/>
/// (model, messages, temperature, output cap, and for a stream <c>stream_options.include_usage</c>); a
/// reply is read by a source-generated reader that keeps only its text, finish reason, model and usage; a
/// stream is read event by event with <see cref="SseParser"/> as its client takes it, one piece at a time,
/// so nothing of it piles up here however slowly the client reads.
/// <para>
/// It replaces the official OpenAI SDK behind Microsoft.Extensions.AI's adapter, which cost more CPU per
/// call than the forwarding itself (the SDK's pipeline and models, then the adapter's conversion of each
/// model to Microsoft.Extensions.AI's, then its telemetry middleware keeping a stream's every update):
/// the README's Performance section has the figures. What the SDK did that the chat layer relies on is
/// here: retries of a transient failure before any reply byte (never a 429, nor a 503 that says when to
/// come back), the provider's failures as <see cref="ProviderException"/>, and the GenAI telemetry.
/// </para>
/// </summary>
internal sealed class OpenAiCompatibleChatClient : IChatClient
{
    /// <summary>The wait before a retry is this times 2^(retry − 1), capped at <see cref="MaxRetryDelay"/>.</summary>
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(800);
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptEventStream = new("text/event-stream");
    private static readonly MediaTypeHeaderValue JsonContent = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly Uri _completions;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly string _defaultModel;
    private readonly int _maxRetries;
    private readonly ChatClientMetadata _metadata;

    public OpenAiCompatibleChatClient(HttpClient http, Uri endpoint, string apiKey, string defaultModel, int maxRetries)
    {
        _http = http;
        _endpoint = endpoint;
        _completions = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions");
        _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _defaultModel = defaultModel;
        _maxRetries = maxRetries;
        _metadata = new ChatClientMetadata("openai", endpoint, defaultModel);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? _defaultModel;
        var operation = ProviderTelemetry.Start(model, _endpoint, stream: false);
        try
        {
            using var response = await SendAsync(messages, options, model, stream: false, cancellationToken);
            UpstreamCompletion? reply;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                reply = await JsonSerializer.DeserializeAsync(body, UpstreamJsonContext.Default.UpstreamCompletion, cancellationToken);
            }
            if (reply is null)
            {
                throw new JsonException("The provider answered null.");
            }
            var choice = reply.Choices is [var first, ..] ? first : null;
            var usage = UsageOf(reply.Usage);
            var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, choice?.Message?.Content ?? string.Empty))
            {
                ModelId = reply.Model,
                FinishReason = FinishReasonOf(choice?.FinishReason),
                Usage = usage,
            };
            operation.End(reply.Model, choice?.FinishReason, usage, error: null);
            return answer;
        }
        catch (Exception exception)
        {
            var translated = ProviderFailures.Translate(exception);
            operation.End(responseModel: null, finishReason: null, usage: null, translated ?? exception);
            if (translated is null || ReferenceEquals(translated, exception))
            {
                throw;
            }
            throw translated;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? _defaultModel;
        var operation = ProviderTelemetry.Start(model, _endpoint, stream: true);
        string? responseModel = null;
        string? finishReason = null;
        UsageDetails? usage = null;
        Exception? error = null;
        HttpResponseMessage? response = null;
        Stream? body = null;
        IAsyncEnumerator<SseItem<UpstreamCompletion?>>? events = null;
        try
        {
            try
            {
                response = await SendAsync(messages, options, model, stream: true, cancellationToken);
                body = await response.Content.ReadAsStreamAsync(cancellationToken);
                events = SseParser.Create(body, static (_, data) => ParseChunk(data)).EnumerateAsync(cancellationToken)
                    .GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception exception)
            {
                error = ProviderFailures.Translate(exception) ?? exception;
                if (ReferenceEquals(error, exception))
                {
                    throw;
                }
                throw error;
            }
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (Exception exception)
                {
                    error = ProviderFailures.Translate(exception) ?? exception;
                    if (ReferenceEquals(error, exception))
                    {
                        throw;
                    }
                    throw error;
                }
                var chunk = events.Current.Data;
                if (chunk is null)
                {
                    // [DONE]: the provider has said all it will.
                    yield break;
                }
                if (chunk.Error is not null)
                {
                    // An error event inside the stream: it ends here without a finish reason, which the chat layer reports as a failure.
                    yield break;
                }
                responseModel = chunk.Model ?? responseModel;
                var choice = chunk.Choices is [var first, ..] ? first : null;
                finishReason = choice?.FinishReason ?? finishReason;
                var update = new ChatResponseUpdate(ChatRole.Assistant, choice?.Delta?.Content)
                {
                    ModelId = chunk.Model,
                    FinishReason = FinishReasonOf(choice?.FinishReason),
                };
                if (chunk.Usage is not null)
                {
                    usage = UsageOf(chunk.Usage)!;
                    update.Contents.Add(new UsageContent(usage));
                }
                yield return update;
            }
        }
        finally
        {
            operation.End(responseModel, finishReason, usage, error);
            if (events is not null)
            {
                await events.DisposeAsync();
            }
            if (body is not null)
            {
                await body.DisposeAsync();
            }
            response?.Dispose();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the factory.
    }

    /// <summary>
    /// Sends the call, retrying a transient failure (unreachable, 408, 5xx but a 503 that says when to come
    /// back) up to the retries configured; answers the response of a 2xx, or throws the provider's failure.
    /// Every request sent is counted for <c>X-NextEleven-Attempts</c>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        bool stream, CancellationToken cancellationToken)
    {
        var body = RequestBody(messages, options, model, stream);
        for (var retry = 0; ; retry++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _completions)
            {
                Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = JsonContent } },
            };
            request.Headers.Authorization = _authorization;
            request.Headers.Accept.Add(stream ? AcceptEventStream : AcceptJson);
            ProviderCallCounter.Count();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException) when (retry < _maxRetries && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(RetryDelay(retry), cancellationToken);
                continue;
            }
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                if (retry < _maxRetries && IsTransient(response))
                {
                    await Task.Delay(RetryDelay(retry), cancellationToken);
                    continue;
                }
                throw await ProviderFailures.FromResponseAsync(response, cancellationToken);
            }
        }
    }

    /// <summary>A failure worth a second try on the same target: a 429, or a 503 that says when to come back, goes to the next target instead.</summary>
    private static bool IsTransient(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        408 or 500 or 502 or 504 => true,
        503 => response.Headers.RetryAfter is null,
        _ => false,
    };

    private static TimeSpan RetryDelay(int retry)
    {
        var delay = FirstRetryDelay * (1 << Math.Min(retry, 8));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>The request body, written once whatever the retries.</summary>
    private static ReadOnlyMemory<byte> RequestBody(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model"u8, model);
            json.WriteStartArray("messages"u8);
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role"u8, message.Role.Value);
                json.WriteString("content"u8, message.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (options?.Temperature is { } temperature)
            {
                json.WriteNumber("temperature"u8, temperature);
            }
            if (options?.MaxOutputTokens is { } cap)
            {
                json.WriteNumber("max_completion_tokens"u8, cap);
            }
            if (stream)
            {
                json.WriteBoolean("stream"u8, true);
                // Usage comes in a last chunk only when asked for; token budgets settle on it.
                json.WriteStartObject("stream_options"u8);
                json.WriteBoolean("include_usage"u8, true);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>One event's data: a chunk, or null for <c>[DONE]</c>.</summary>
    private static UpstreamCompletion? ParseChunk(ReadOnlySpan<byte> data) =>
        data.SequenceEqual("[DONE]"u8) ? null
        : JsonSerializer.Deserialize(data, UpstreamJsonContext.Default.UpstreamCompletion)
            ?? throw new JsonException("The provider sent a null chunk.");

    private static ChatFinishReason? FinishReasonOf(string? value) => value switch
    {
        null => null,
        "function_call" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(value),
    };

    private static UsageDetails? UsageOf(UpstreamUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.PromptTokensDetails?.CachedTokens,
    };
}
