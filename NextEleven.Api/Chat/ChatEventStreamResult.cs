using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace NextEleven.Api.Chat;

/// <summary>
/// A chat stream as <c>text/event-stream</c>, with the headers ASP.NET Core's own Server-Sent Events result
/// sends. Events are written as the chat layer hands over its steps, and sent when the next step is not
/// ready yet: a provider's burst of pieces (already read from its connection) goes out in one write, while
/// a piece that waits for the provider never waits here. A slow client holds the stream back: the flush
/// waits whenever Kestrel's buffer for the connection is full, and the provider is read no further until
/// it drains, so a stream never piles up in memory beyond that buffer and <see cref="MaxUnsentBytes"/>.
/// </summary>
internal sealed class ChatEventStreamResult(IAsyncEnumerable<ChatStreamStep> steps, Action<ChatStreamStep, ChatEventWriter> write,
    CancellationToken cancellationToken) : IResult
{
    /// <summary>Events written but not yet sent are sent once they reach this size, ready next step or not.</summary>
    public const int MaxUnsentBytes = 16 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.ContentEncoding = "identity";
        httpContext.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();

        var output = response.BodyWriter;
        using var events = new ChatEventWriter(output);
        await using var step = steps.GetAsyncEnumerator(cancellationToken);
        var next = step.MoveNextAsync();
        while (await next)
        {
            write(step.Current, events);
            next = step.MoveNextAsync();
            if (!next.IsCompleted || Unsent(output) >= MaxUnsentBytes)
            {
                // No token: a flush never throws while the next step is in flight (the enumerator must not be
                // disposed under it). A client that goes away ends the steps through the request's abort,
                // one that stops reading is cut by Kestrel's minimum data rate.
                await output.FlushAsync();
            }
        }
        await output.FlushAsync();
    }

    private static long Unsent(PipeWriter output) => output.CanGetUnflushedBytes ? output.UnflushedBytes : MaxUnsentBytes;
}
