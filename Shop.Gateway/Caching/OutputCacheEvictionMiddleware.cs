using Microsoft.AspNetCore.OutputCaching;
using Yarp.ReverseProxy.Model;

namespace Shop.Gateway.Caching;

/// <summary>
/// A write through a route whose "EvictsOutputCache" metadata names a cache tag (the catalog write routes name
/// "products") evicts this process's cached answers with that tag: before forwarding (the client may read again as
/// soon as it has the answer) and after (a read racing the write may have cached the old state).
/// </summary>
internal sealed class OutputCacheEvictionMiddleware(RequestDelegate next, IOutputCacheStore store)
{
    public const string EvictsMetadataKey = "EvictsOutputCache";

    public async Task InvokeAsync(HttpContext context)
    {
        var tag = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata?.GetValueOrDefault(EvictsMetadataKey);
        if (string.IsNullOrEmpty(tag) || IsRead(context.Request))
        {
            await next(context);
            return;
        }

        await store.EvictByTagAsync(tag, context.RequestAborted);
        try
        {
            await next(context);
        }
        finally
        {
            await store.EvictByTagAsync(tag, CancellationToken.None);
        }
    }

    private static bool IsRead(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
}
