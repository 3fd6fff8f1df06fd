using System.Text.Json.Serialization;

namespace Shop.ServiceDefaults.Validation;

/// <summary>
/// One page of a list, the answer of every list endpoint: <c>items</c>, the 1-based <c>page</c>, <c>pageSize</c>
/// (the requested size; the last page may hold fewer) and <c>totalCount</c> (every item that matches, on all pages).
/// Made from a validated <see cref="PageRequest"/>, usually by <see cref="PageQueryExtensions.ToPageAsync{T}"/>.
/// </summary>
public record Page<T>(IReadOnlyList<T> Items, [property: JsonPropertyName("page")] int PageNumber, int PageSize, int TotalCount)
{
    // A factory, not a second constructor: System.Text.Json (HybridCache's serializer) reads a record through its one constructor.
    public static Page<T> Of(IReadOnlyList<T> items, PageRequest request, int totalCount) =>
        new(items, request.Page, request.PageSize, totalCount);

    /// <summary>The same page with each item mapped, e.g. from the domain model to a response contract.</summary>
    public Page<TResult> Select<TResult>(Func<T, TResult> map) => new([.. Items.Select(map)], PageNumber, PageSize, TotalCount);
}
