using Shop.ServiceDefaults.Validation;

namespace Shop.Notifier.Apis;

/// <summary>
/// The notification API's request checks; each returns the <see cref="FieldErrors"/> of the input (keyed by query
/// name), empty when valid.
/// </summary>
public static class NotificationValidation
{
    /// <summary>
    /// Larger pages than the shared ones: an order's life (created, paid, shipped, delivered) sends about nine
    /// notifications, two or three per event, so 50 shows the last few orders' and 200 about twenty orders'.
    /// </summary>
    public const int DefaultPageSize = 50;

    /// <inheritdoc cref="DefaultPageSize"/>
    public const int MaxPageSize = 200;

    /// <summary>The caller's notification list: the page (its optional <c>orderId</c> is checked by binding, as a UUID).</summary>
    /// <param name="paging">The validated page; null when <c>page</c> or <c>pageSize</c> is out of bounds.</param>
    public static FieldErrors ValidateList(int? page, int? pageSize, out PageRequest? paging)
    {
        var errors = new FieldErrors();
        paging = PageRequest.Create(page, pageSize, errors, defaultPageSize: DefaultPageSize, maxPageSize: MaxPageSize);
        return errors;
    }
}
