using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace NextEleven.Api.Clients;

/// <summary>
/// Reloads the clients file when it changes: written in place, replaced by a rename (as the <c>keys</c>
/// command and most deploy tools do), or swapped behind a symlink (a Kubernetes ConfigMap). File events
/// make a change take effect a moment after the last write; a check every second of what the path
/// resolves to (target, size, write time) catches what no event reports, such as a symlink swapped in a
/// parent folder or a network file system. One loop does every reload, so they never overlap, and
/// changes that arrive while one runs are read once, after it.
/// </summary>
internal sealed class ClientsFileWatcher(ClientRegistry registry, TimeProvider time) : IHostedService, IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the file's fingerprint is compared, so no change waits longer than this plus a reload.</summary>
    internal static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reloadRequested = new(0, 1);
    // Never disposed: it has no timer to free, and the host may stop a service after disposing it.
    private readonly CancellationTokenSource _stopping = new();
    private PhysicalFileProvider? _files;
    private IDisposable? _subscription;
    private ITimer? _settle;
    private ITimer? _poll;
    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (registry.FilePath is { } path)
        {
            _files = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
            var name = Path.GetFileName(path);
            _settle = time.CreateTimer(_ => RequestReload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _subscription = ChangeToken.OnChange(() => _files.Watch(name), () => _settle.Change(Settle, Timeout.InfiniteTimeSpan));
            _poll = time.CreateTimer(_ => PollFingerprint(path), null, PollInterval, PollInterval);
            _loop = Task.Run(ReloadLoopAsync, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void PollFingerprint(string path)
    {
        if (FileFingerprint.Of(path) != registry.Loaded)
        {
            RequestReload();
        }
    }

    /// <summary>Asks the loop for one more reload; a request while one is already pending adds nothing.</summary>
    private void RequestReload()
    {
        if (_reloadRequested.CurrentCount == 0)
        {
            try
            {
                _reloadRequested.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another change asked at the same moment: one reload reads them both.
            }
        }
    }

    private async Task ReloadLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _reloadRequested.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            registry.Reload();
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _settle?.Dispose();
        _poll?.Dispose();
        _files?.Dispose();
        _stopping.Cancel();
    }
}
