namespace Shop.ProductApi.Model;

public sealed class Category
{
    public int Id { get; set; }

    /// <summary>URL-friendly key used by the API (<c>?category=electronics</c>).</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }
}
