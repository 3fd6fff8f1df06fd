using Microsoft.EntityFrameworkCore;

namespace Shop.ServiceDefaults.Validation;

public static class PageQueryExtensions
{
    /// <summary>
    /// Counts every row of <paramref name="query"/> and reads the rows of <paramref name="request"/>'s page. The query
    /// must be ordered by a unique key (e.g. ThenBy(x => x.Id)), or rows may repeat or go missing between pages. A page
    /// past the end is empty, and then costs only the count.
    /// </summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken cancellationToken)
    {
        var totalCount = await query.CountAsync(cancellationToken);
        IReadOnlyList<T> items = totalCount <= request.Offset
            ? []
            : await query.Skip(request.Offset).Take(request.PageSize).ToListAsync(cancellationToken);
        return Page<T>.Of(items, request, totalCount);
    }
}
