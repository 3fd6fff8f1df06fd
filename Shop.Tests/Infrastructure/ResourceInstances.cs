using Microsoft.Extensions.DependencyInjection;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The running instances of a project resource (one per replica), each reached directly rather than through the proxy
/// that balances them. Aspire hands every replica its own Kestrel URLs through the environment, which its snapshot shows;
/// a single instance listens on the endpoint itself (ShopProjectExtensions.WithShopReplicas).
/// </summary>
public static class ResourceInstances
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Each instance's name and own address of <paramref name="endpoint"/> ("http", "grpc"), ordered by name. Waits
    /// (<paramref name="wait"/>, 30 s by default) until as many instances as the resource's replicas have one (a
    /// replica being started again has none yet); throws <see cref="TimeoutException"/> after that.
    /// </summary>
    public static async Task<IReadOnlyList<(string Instance, Uri Url)>> UrlsAsync(DistributedApplication app, string resource,
        string endpoint = "http", TimeSpan? wait = null)
    {
        var replicas = Replicas(app, resource);
        if (replicas == 1) return [(resource, app.GetEndpoint(resource, endpoint))];
        var urls = new Dictionary<string, Uri>();
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (e.Resource.Name != resource) continue;
                if (InstanceUrl(e.Snapshot, endpoint) is { } url)
                {
                    urls[e.ResourceId] = new Uri(url);
                }
                if (urls.Count == replicas) break;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{urls.Count} of {resource}'s {replicas} instances have their own {endpoint} address after {wait ?? DefaultWait}.");
        }
        return urls.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => (u.Key, u.Value)).ToList();
    }

    /// <summary>
    /// Each instance's id as Aspire knows it (DCP's name for it, the key of its logs in <see cref="ResourceLoggerService"/>),
    /// once as many as the resource's replicas have appeared; throws <see cref="TimeoutException"/> after
    /// <paramref name="wait"/> (30 s by default).
    /// </summary>
    public static async Task<IReadOnlyList<string>> IdsAsync(DistributedApplication app, string resource, TimeSpan? wait = null)
    {
        var replicas = Replicas(app, resource);
        var ids = new HashSet<string>();
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (e.Resource.Name == resource && ids.Add(e.ResourceId) && ids.Count == replicas) break;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{ids.Count} of {resource}'s {replicas} instances seen after {wait ?? DefaultWait}.");
        }
        return ids.Order(StringComparer.Ordinal).ToList();
    }

    private static int Replicas(DistributedApplication app, string resource) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource)
            .Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    /// <summary>
    /// A replica's own address: Aspire sets Kestrel__Endpoints__{name}__Url for each endpoint of a service that has
    /// several (product-api: http and gRPC), and only ASPNETCORE_URLS for one with just http.
    /// </summary>
    private static string? InstanceUrl(CustomResourceSnapshot snapshot, string endpoint)
    {
        string? Variable(string name) => snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == name)?.Value;
        return Variable($"Kestrel__Endpoints__{endpoint}__Url")
            ?? (endpoint == "http" ? Variable("ASPNETCORE_URLS")?.Split(';').FirstOrDefault(url => url.StartsWith("http://", StringComparison.Ordinal)) : null);
    }
}
