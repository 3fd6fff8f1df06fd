using Microsoft.AspNetCore.OutputCaching;

namespace Shop.Gateway.Caching;

/// <summary>
/// A catalog write through the gateway evicts this process's cached catalog reads: before forwarding (the client may
/// read again as soon as it has the answer) and after (a read racing the write may have cached the old state).
/// </summary>
internal sealed class CatalogInvalidationMiddleware(RequestDelegate next, IOutputCacheStore store)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsCatalogWrite(context.Request))
        {
            await next(context);
            return;
        }

        await store.EvictByTagAsync(CatalogCachePolicy.Tag, context.RequestAborted);
        try
        {
            await next(context);
        }
        finally
        {
            await store.EvictByTagAsync(CatalogCachePolicy.Tag, CancellationToken.None);
        }
    }

    private static bool IsCatalogWrite(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
        && (request.Path.StartsWithSegments("/api/products") || request.Path.StartsWithSegments("/api/categories"));
}
