using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// The body of a declined payment's 402 (application/problem+json), declared in the OpenAPI documents so that clients
/// see its members: RFC 7807's, as <see cref="RefusalProblems"/> writes every refusal, plus the facts order-api gives a
/// <see cref="PaymentDeclinedRefusal"/>. Documentation only: the answer itself is the one mapping's ProblemDetails.
/// </summary>
/// <param name="Detail">The provider's reason ("The card was declined.").</param>
/// <param name="OrderId">The order the payment was for: stored, still pending, payable again with
/// <c>POST /api/orders/{id}/pay</c>.</param>
/// <param name="PaymentReference">The provider's reference of the declined attempt; null when it gave none.</param>
/// <param name="TraceId">The request's W3C trace id, to find it in the traces and logs.</param>
public sealed record PaymentDeclinedProblem(string Type, string Title, int Status, string Detail, Guid OrderId, string? PaymentReference,
    string? TraceId);

public static class PaymentDeclinedProblemExtensions
{
    /// <summary>Documents the endpoint's 402: a declined payment, as <see cref="PaymentDeclinedProblem"/>.</summary>
    public static RouteHandlerBuilder ProducesPaymentDeclined(this RouteHandlerBuilder builder) =>
        builder.Produces<PaymentDeclinedProblem>(StatusCodes.Status402PaymentRequired, "application/problem+json");
}
