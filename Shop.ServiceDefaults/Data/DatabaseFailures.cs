using System.Data.Common;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// Sorts database failures, looking through wrappers (DbUpdateException, EF's retry and transient-failure
/// exceptions) by SQLSTATE (PostgreSQL, Appendix A "Error Codes"). Transient: worth retrying the same request
/// (503 + Retry-After). Invalid input: the request carried a value the database refuses; retrying cannot help (400).
/// </summary>
public static class DatabaseFailures
{
    /// <summary>Connection failures (class 08), serialization failure 40001, deadlock 40P01, timeouts, and whatever the provider marks transient.</summary>
    public static bool IsTransient(Exception exception)
    {
        foreach (var current in Chain(exception))
        {
            switch (current)
            {
                case TimeoutException:
                    return true;
                case DbException db when db.IsTransient
                    || db.SqlState is "40001" or "40P01"
                    || db.SqlState?.StartsWith("08", StringComparison.Ordinal) == true:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A data exception (class 22: string too long 22001, numeric overflow 22003, invalid byte sequence 22021,
    /// negative OFFSET 2201X…), not-null violation 23502 or check violation 23514: the value is at fault, not the database.
    /// </summary>
    public static bool IsInvalidInput(Exception exception) =>
        Chain(exception).OfType<DbException>().Any(db =>
            db.SqlState is "23502" or "23514" || db.SqlState?.StartsWith("22", StringComparison.Ordinal) == true);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
