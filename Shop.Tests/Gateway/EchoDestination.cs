using System.Collections.Concurrent;

namespace Shop.Tests.Gateway;

/// <summary>
/// Stands in for a service behind a gateway process (never the AppHost's): records the headers each proxied
/// request arrives with, so the test sees exactly what a service would receive.
/// </summary>
public sealed class EchoDestination : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public EchoDestination()
    {
        Address = new Uri($"http://127.0.0.1:{GatewayProcess.FreePort()}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Address { get; }

    public ConcurrentQueue<(string Path, Dictionary<string, string> Headers)> Requests { get; } = new();

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            if (path != "/health")
            {
                Requests.Enqueue((path, context.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase)));
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
