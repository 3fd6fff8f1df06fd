using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Infrastructure;
using Shop.ProductApi.Model;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Validation;

namespace Shop.ProductApi.Services;

/// <summary>Catalog reads: product by id, list pages and categories through the cache; search straight from PostgreSQL.</summary>
public sealed partial class ProductReader(ProductsDbContext db, ProductCache cache)
{
    private const int MaxSearchTerms = 8;

    /// <summary>
    /// The sessions' settings search relies on (<c>AddShopDbContext</c>'s server settings):
    /// <list type="bullet">
    /// <item><c>pg_trgm.word_similarity_threshold</c>: the word similarity from which a name counts as a likely
    /// misspelling (pg_trgm's own 0.6 misses "espreso grindr"). The fuzzy query tests it with the <c>&lt;%</c> operator,
    /// which the trigram index on the name answers; the same test written as <c>word_similarity(…) &gt; 0.4</c> can only
    /// scan the table (12 ms for 1,200 products, against 0.4 ms through the index, EXPLAIN ANALYZE).</item>
    /// <item><c>random_page_cost</c> 1.1 (PostgreSQL's advice for a database that fits in memory or on SSD): at the
    /// default 4.0 the planner still prefers that scan for a catalog of this size.</item>
    /// </list>
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SearchSettings = new Dictionary<string, string>
    {
        ["pg_trgm.word_similarity_threshold"] = "0.4",
        ["random_page_cost"] = "1.1",
    };

    /// <summary>The product through the cache; <see cref="NotFoundRefusal"/> when no product has <paramref name="id"/>.</summary>
    public async Task<ProductView> GetProductAsync(Guid id, CancellationToken cancellationToken) =>
        await cache.GetOrLoadAsync("product", ProductCache.ProductKey(id), [ProductCache.ProductKey(id)], async token =>
        {
            var product = await db.Products.AsNoTracking().Include(p => p.Category).FirstOrDefaultAsync(p => p.Id == id, token);
            return product is null ? null : ProductView.From(product);
        }, cancellationToken)
        ?? throw new NotFoundRefusal($"No product {id}.", "Product Not Found");

    /// <summary>The products among <paramref name="ids"/> that exist, read fresh in one query (callers price orders with them).</summary>
    public async Task<IReadOnlyList<ProductView>> GetFreshProductsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking().Include(p => p.Category).Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        return [.. products.Select(ProductView.From)];
    }

    public ValueTask<Page<ProductListItem>> ListAsync(ProductListQuery query, CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync("list", query.CacheKey, [ProductCache.ListTag], async token =>
        {
            var products = db.Products.AsNoTracking();
            if (query.Category is { } category) products = products.Where(p => p.Category.Slug == category);
            if (query.Brand is { } brand) products = products.Where(p => p.Brand.ToLower() == brand);
            if (query.MinPrice is { } min) products = products.Where(p => p.Price >= min);
            if (query.MaxPrice is { } max) products = products.Where(p => p.Price <= max);

            var ordered = query.Sort switch
            {
                ProductSort.PriceAsc => products.OrderBy(p => p.Price).ThenBy(p => p.Id),
                ProductSort.PriceDesc => products.OrderByDescending(p => p.Price).ThenBy(p => p.Id),
                ProductSort.Newest => products.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id),
                _ => products.OrderBy(p => p.Name).ThenBy(p => p.Id),
            };
            return await ToSummaries(ordered).ToPageAsync(query.Paging, token);
        }, cancellationToken);

    public ValueTask<IReadOnlyList<CategoryView>> GetCategoriesAsync(CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync("categories", "categories", [ProductCache.CategoriesTag], async token =>
        {
            IReadOnlyList<CategoryView> categories = await db.Categories.AsNoTracking()
                .OrderBy(c => c.Name)
                .Select(c => new CategoryView(c.Slug, c.Name, db.Products.Count(p => p.CategoryId == c.Id)))
                .ToListAsync(token);
            return categories;
        }, cancellationToken);

    /// <summary>
    /// Ranked full-text search with prefix matching ("headph" finds headphones). The text is reduced to words first, so
    /// quotes, operators and SQL metacharacters are just text. When no word matches, trigram word similarity on the
    /// name gives typo tolerance ("headphnes").
    /// </summary>
    public async Task<ProductSearchPage> SearchAsync(string text, PageRequest page, CancellationToken cancellationToken)
    {
        var terms = Words().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct().Take(MaxSearchTerms).ToArray();
        if (terms.Length == 0) return ProductSearchPage.From(Page<ProductListItem>.Of([], page, 0), fuzzy: false);

        var tsQuery = string.Join(" & ", terms.Select(t => t + ":*"));
        var ranked = db.Products.AsNoTracking()
            .Where(p => p.SearchVector.Matches(EF.Functions.ToTsQuery("english", tsQuery)))
            .OrderByDescending(p => p.SearchVector.Rank(EF.Functions.ToTsQuery("english", tsQuery)))
            .ThenBy(p => p.Name).ThenBy(p => p.Id);
        var found = await ToSummaries(ranked).ToPageAsync(page, cancellationToken);
        if (found.TotalCount > 0) return ProductSearchPage.From(found, fuzzy: false);

        var words = string.Join(' ', terms);
        var closest = db.Products.AsNoTracking()
            .Where(p => EF.Functions.TrigramsAreWordSimilar(words, p.Name))
            .OrderByDescending(p => EF.Functions.TrigramsWordSimilarity(words, p.Name)).ThenBy(p => p.Id);
        return ProductSearchPage.From(await ToSummaries(closest).ToPageAsync(page, cancellationToken), fuzzy: true);
    }

    private static IQueryable<ProductListItem> ToSummaries(IQueryable<Product> products) =>
        products.Select(p => new ProductListItem(p.Id, p.Sku, p.Name, p.Category.Slug, p.Brand, p.Price, p.Currency, p.ImageUrl, p.CreatedAt));

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();
}
