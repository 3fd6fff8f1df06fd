namespace Shop.ServiceDefaults.Validation;

/// <summary>
/// One page of a list, validated once for every list endpoint: 1 ≤ Page ≤ maxPage and 1 ≤ PageSize ≤ maxPageSize,
/// where maxPage × maxPageSize fits an int, so <see cref="Offset"/> (what LINQ's Skip takes) can never overflow.
/// A page past the end of the data is valid and simply empty.
/// </summary>
public sealed class PageRequest
{
    /// <summary>Items per page when the request names no <c>pageSize</c>; an endpoint's own default is its parameter's.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>The largest <c>pageSize</c> a list accepts unless its service's validation names another, with its reason.</summary>
    public const int DefaultMaxPageSize = 100;

    private PageRequest(int page, int pageSize)
    {
        Page = page;
        PageSize = pageSize;
    }

    /// <summary>1-based page number.</summary>
    public int Page { get; }

    /// <summary>Items per page.</summary>
    public int PageSize { get; }

    /// <summary>Items before this page: (Page − 1) × PageSize, within int by construction.</summary>
    public int Offset => (Page - 1) * PageSize;

    /// <summary>
    /// Validates the query values <c>page</c> and <c>pageSize</c> (null means the default). On failure adds an error
    /// naming the field to <paramref name="errors"/> and returns null.
    /// </summary>
    /// <param name="maxPage">The deepest page; by default the deepest one whose offset fits an int.</param>
    /// <exception cref="ArgumentOutOfRangeException">The limits themselves are inconsistent (a programming error).</exception>
    public static PageRequest? Create(int? page, int? pageSize, FieldErrors errors,
        int defaultPageSize = DefaultPageSize, int maxPageSize = DefaultMaxPageSize, int? maxPage = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultPageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultPageSize, maxPageSize);
        var deepest = maxPage ?? int.MaxValue / maxPageSize + 1;
        ArgumentOutOfRangeException.ThrowIfLessThan(deepest, 1, nameof(maxPage));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)(deepest - 1) * maxPageSize, int.MaxValue, nameof(maxPage));

        var valid = true;
        if (page is < 1 || page > deepest)
        {
            errors.Add("page", $"Must be between 1 and {deepest}.");
            valid = false;
        }
        if (pageSize is < 1 || pageSize > maxPageSize)
        {
            errors.Add("pageSize", $"Must be between 1 and {maxPageSize}.");
            valid = false;
        }
        return valid ? new PageRequest(page ?? 1, pageSize ?? defaultPageSize) : null;
    }
}
