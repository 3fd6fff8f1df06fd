using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Shop.Gateway.Caching;

/// <summary>
/// Output cache policy of the public catalog routes: anonymous GET/HEAD only, keyed by path and full query string,
/// 200 answers without cookies, tagged so catalog writes evict everything at once. ETag/If-None-Match keep working
/// (the cached answer keeps the service's ETag and the output cache answers 304 itself).
/// </summary>
internal sealed class ProductCachePolicy(IOptionsMonitor<EdgeCacheOptions> options) : IOutputCachePolicy
{
    public const string Name = "products";
    public const string Tag = "products";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var settings = options.CurrentValue;
        var request = context.HttpContext.Request;
        var cacheable = settings.Enabled
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && string.IsNullOrEmpty(request.Headers.Authorization);

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = settings.Ttl;
        context.CacheVaryByRules.QueryKeys = "*";
        context.Tags.Add(Tag);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}
