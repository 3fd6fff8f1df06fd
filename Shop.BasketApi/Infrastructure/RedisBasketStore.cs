using System.Globalization;
using Microsoft.Extensions.Options;
using Shop.BasketApi.Model;
using StackExchange.Redis;

namespace Shop.BasketApi.Infrastructure;

/// <summary>Outcome of setting a line: the cart after the change, or null when the cart already had the maximum of lines.</summary>
public sealed record SetLineResult(StoredBasket? Basket);

/// <summary>
/// Carts in Redis, one hash per cart (<see cref="BasketScripts"/>), keyed <c>shop:basket:user:{id}</c> or
/// <c>shop:basket:anon:{cartId}</c>. Each write is atomic and slides the cart's expiry (<see cref="BasketOptions"/>).
/// Redis unreachable or slow surfaces as <see cref="BasketRefusals.Unavailable"/> (503 + Retry-After, gRPC UNAVAILABLE).
/// </summary>
public sealed class RedisBasketStore(IConnectionMultiplexer redis, IOptionsMonitor<BasketOptions> options)
{
    private const string VersionField = "_v";
    private const string InstanceField = "_i";
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a checked-out cart is kept: long enough for a repeated submit (a double click, a retry after a lost
    /// answer, a second tab) to find it and replay its order instead of being told the cart is empty.
    /// </summary>
    public static readonly TimeSpan CheckedOutKept = TimeSpan.FromMinutes(2);

    private IDatabase Db => redis.GetDatabase();

    public static RedisKey KeyFor(BasketOwner owner) => owner switch
    {
        BasketOwner.Shopper shopper => $"shop:basket:user:{shopper.UserId:N}",
        BasketOwner.Anonymous anonymous => $"shop:basket:anon:{anonymous.CartId.Value}",
        _ => throw new ArgumentOutOfRangeException(nameof(owner)),
    };

    private static RedisKey CheckedOutKeyFor(BasketOwner owner) => KeyFor(owner).Append(":checked-out");

    public async Task<StoredBasket> ReadAsync(BasketOwner owner) => Parse(await Answered(Db.HashGetAllAsync(KeyFor(owner))));

    public async Task<SetLineResult> SetLineAsync(BasketOwner owner, Guid productId, int quantity, decimal price, string currency, string name)
    {
        var result = await Answered(Db.ScriptEvaluateAsync(BasketScripts.SetLine, [KeyFor(owner)],
        [
            productId.ToString("N"), quantity, $"{price.ToString(CultureInfo.InvariantCulture)} {currency}|", name,
            BasketRules.MaxLines, IdleMilliseconds(owner), NewInstance(),
        ]));
        var items = (RedisResult[])result!;
        return (string?)items[0] == "full" ? new SetLineResult(null) : new SetLineResult(Parse(items));
    }

    public async Task<StoredBasket> RemoveLineAsync(BasketOwner owner, Guid productId) =>
        Parse((RedisResult[])(await Answered(Db.ScriptEvaluateAsync(BasketScripts.RemoveLine, [KeyFor(owner)],
            [productId.ToString("N"), IdleMilliseconds(owner)])))!);

    /// <summary>Deletes the cart and its checked-out copy: a checkout after this finds nothing to replay.</summary>
    public Task ClearAsync(BasketOwner owner) => Answered(Db.KeyDeleteAsync([KeyFor(owner), CheckedOutKeyFor(owner)]));

    /// <summary>
    /// Clears the cart if it is still at <paramref name="version"/>, keeping it for <see cref="CheckedOutKept"/> as
    /// the shopper's last checked-out cart (<see cref="ReadCheckedOutAsync"/>); a cart changed since is kept as it is.
    /// </summary>
    public async Task<bool> CheckOutIfUnchangedAsync(BasketOwner owner, long version) =>
        (long)(await Answered(Db.ScriptEvaluateAsync(BasketScripts.CheckOutIfVersion, [KeyFor(owner), CheckedOutKeyFor(owner)],
            [version, (long)CheckedOutKept.TotalMilliseconds]))) == 1;

    /// <summary>The cart last checked out, for <see cref="CheckedOutKept"/> after it was; empty after that.</summary>
    public async Task<StoredBasket> ReadCheckedOutAsync(BasketOwner owner) =>
        Parse(await Answered(Db.HashGetAllAsync(CheckedOutKeyFor(owner))));

    public async Task<StoredBasket> MergeAsync(BasketOwner.Shopper into, BasketOwner.Anonymous from) =>
        Parse((RedisResult[])(await Answered(Db.ScriptEvaluateAsync(BasketScripts.Merge, [KeyFor(into), KeyFor(from)],
            [BasketRules.MaxLines, BasketRules.MaxQuantity, IdleMilliseconds(into), NewInstance()])))!);

    private static async Task<T> Answered<T>(Task<T> pending)
    {
        try
        {
            return await pending;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw BasketRefusals.Unavailable("basket store", RetryAfter, ex);
        }
    }

    private long IdleMilliseconds(BasketOwner owner) =>
        Math.Max(1, (long)options.CurrentValue.IdleTimeFor(owner).TotalMilliseconds);

    private static string NewInstance() => CartId.New().Value;

    /// <summary>A script's answer: a status, then HGETALL's flat field/value list.</summary>
    private static StoredBasket Parse(RedisResult[] items)
    {
        var entries = new HashEntry[(items.Length - 1) / 2];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new HashEntry((string)items[1 + 2 * i]!, (RedisValue)items[2 + 2 * i]);
        }
        return Parse(entries);
    }

    private static StoredBasket Parse(HashEntry[] entries)
    {
        if (entries.Length == 0) return StoredBasket.Empty;
        long version = 0;
        string? instance = null;
        var lines = new List<StoredLine>(entries.Length);
        foreach (var entry in entries)
        {
            var field = (string)entry.Name!;
            if (field == VersionField) version = (long)entry.Value;
            else if (field == InstanceField) instance = entry.Value;
            else if (Guid.TryParseExact(field, "N", out var productId)) lines.Add(ParseLine(productId, entry.Value!));
        }
        lines.Sort((a, b) => a.AddedAt != b.AddedAt ? a.AddedAt.CompareTo(b.AddedAt) : a.ProductId.CompareTo(b.ProductId));
        return new StoredBasket(version, instance, lines);
    }

    /// <summary>Reads <c>quantity|price[ currency]|addedAtVersion|name</c> (lines stored before carts kept the currency lack it).</summary>
    private static StoredLine ParseLine(Guid productId, string value)
    {
        var parts = value.Split('|', 4);
        var price = parts[1].Split(' ', 2);
        return new StoredLine(productId,
            int.Parse(parts[0], CultureInfo.InvariantCulture),
            decimal.Parse(price[0], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture),
            parts[3],
            price.Length == 2 ? price[1] : null);
    }
}
