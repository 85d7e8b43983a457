using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace NextEleven.Api.Clients;

/// <summary>
/// Reloads the clients file when it changes: written in place, or replaced by a rename (as the
/// <c>keys</c> command and most deploy tools do). Changes that arrive together are read once, a moment
/// after the last. Where file events do not arrive (a symlink swapped under it, some network file
/// systems), <c>DOTNET_USE_POLLING_FILE_WATCHER=true</c> makes the provider poll instead.
/// </summary>
public sealed class ClientsFileWatcher(ClientRegistry registry, TimeProvider time) : IHostedService, IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private PhysicalFileProvider? _files;
    private IDisposable? _subscription;
    private ITimer? _settle;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (registry.FilePath is { } path)
        {
            _files = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
            var name = Path.GetFileName(path);
            _settle = time.CreateTimer(_ => registry.Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _subscription = ChangeToken.OnChange(() => _files.Watch(name), () => _settle.Change(Settle, Timeout.InfiniteTimeSpan));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _subscription?.Dispose();
        _settle?.Dispose();
        _files?.Dispose();
    }
}
