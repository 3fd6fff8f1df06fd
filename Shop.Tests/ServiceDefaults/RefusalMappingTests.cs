using Google.Rpc;
using Grpc.Core;
using Status = Grpc.Core.Status;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.ServiceDefaults.Grpc;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Refusals;

namespace Shop.Tests.ServiceDefaults;

/// <summary>The one mapping of domain refusals to HTTP answers and to gRPC statuses, and back from a gRPC status.</summary>
public sealed class RefusalMappingTests
{
    public static TheoryData<ShopRefusal, int, StatusCode> Kinds => new()
    {
        { new InvalidRefusal(new Dictionary<string, string[]> { ["email"] = ["Required."] }), 400, StatusCode.InvalidArgument },
        { new NotAuthenticatedRefusal("The email or password is incorrect."), 401, StatusCode.Unauthenticated },
        { new PaymentDeclinedRefusal("Declined."), 402, StatusCode.FailedPrecondition },
        { new ForbiddenRefusal("Admins only."), 403, StatusCode.PermissionDenied },
        { new NotFoundRefusal("No such order."), 404, StatusCode.NotFound },
        { new NotFoundRefusal("No product 42 exists.", "Unknown Product"), 404, StatusCode.NotFound },
        { new ConflictRefusal("Changed meanwhile."), 409, StatusCode.Aborted },
        { new DuplicateRefusal("Duplicate SKU", "Another product already has this SKU."), 409, StatusCode.AlreadyExists },
        { new OutOfStockRefusal([new StockShortage(Guid.NewGuid(), true, "short")]), 409, StatusCode.FailedPrecondition },
        { new StaleVersionRefusal("Read it again."), 412, StatusCode.Aborted },
        { new UnprocessableRefusal("Unknown Products", "These products do not exist."), 422, StatusCode.FailedPrecondition },
        { new ThrottledRefusal("Too many failed logins", "Try again in 30 seconds.") { RetryAfter = TimeSpan.FromSeconds(30) }, 429, StatusCode.ResourceExhausted },
        { new UnavailableRefusal("The product service did not answer.") { RetryAfter = TimeSpan.FromSeconds(5) }, 503, StatusCode.Unavailable },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_refusal_has_its_status_title_detail_and_retry_after(ShopRefusal refusal, int status, StatusCode grpcStatus)
    {
        var answer = ExceptionProblems.For(refusal);

        Assert.Equal(status, answer.Problem.Status);
        Assert.Equal(refusal.Title, answer.Problem.Title);
        Assert.Equal(refusal.Message, answer.Problem.Detail);
        Assert.Equal(refusal.RetryAfter, answer.RetryAfter);
        Assert.Equal(status == 503 ? ExceptionProblemKind.Transient : ExceptionProblemKind.Refused, answer.Kind);
        Assert.Equal(grpcStatus, GrpcRefusals.ToRpcException(refusal).StatusCode);
    }

    public static TheoryData<ShopRefusal, int> HttpKinds
    {
        get
        {
            var data = new TheoryData<ShopRefusal, int>();
            foreach (var row in Kinds) data.Add((ShopRefusal)row[0], (int)row[1]);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HttpKinds))]
    public void A_refusal_sent_as_a_problem_is_read_back_as_the_same_answer(ShopRefusal refusal, int status)
    {
        var sent = ExceptionProblems.For(refusal);
        var received = JsonSerializer.Deserialize<ProblemDetails>(JsonSerializer.Serialize(sent.Problem, JsonSerializerOptions.Web), JsonSerializerOptions.Web);

        var readBack = ExceptionProblems.For(ProblemRefusals.ToRefusal(status, received, sent.RetryAfter, "order service"));

        Assert.Equal(status, readBack.Problem.Status);
        Assert.Equal((sent.Problem.Title, sent.Problem.Detail, sent.RetryAfter), (readBack.Problem.Title, readBack.Problem.Detail, readBack.RetryAfter));
        Assert.Equal(JsonSerializer.Serialize(sent.Problem.Extensions, JsonSerializerOptions.Web),
            JsonSerializer.Serialize(readBack.Problem.Extensions, JsonSerializerOptions.Web));
    }

    [Fact]
    public void An_answer_without_a_problem_body_is_read_by_its_status_and_a_5xx_is_unavailable()
    {
        var unknown = ProblemRefusals.ToRefusal(StatusCodes.Status404NotFound, null, null, "order service");
        var failed = ProblemRefusals.ToRefusal(StatusCodes.Status500InternalServerError, null, TimeSpan.FromSeconds(2), "order service");

        Assert.IsType<NotFoundRefusal>(unknown);
        Assert.Equal("The order service refused the request (404).", unknown.Message);
        Assert.IsType<UnavailableRefusal>(failed);
        Assert.Equal(("The order service is unavailable. Retry shortly.", TimeSpan.FromSeconds(2)), (failed.Message, failed.RetryAfter));
    }

    [Fact]
    public void Field_errors_and_facts_become_members_of_the_problem()
    {
        var invalid = ExceptionProblems.For(new InvalidRefusal(new Dictionary<string, string[]> { ["category"] = ["Unknown category."] },
            "Unknown category", "No category 'x'."));
        var declined = ExceptionProblems.For(new PaymentDeclinedRefusal("Declined.", new Dictionary<string, object?> { ["paymentReference"] = "pay_1" }));
        var productId = Guid.NewGuid();
        var unknown = ExceptionProblems.For(new NotFoundRefusal("No such product.", "Unknown Product", new Dictionary<string, object?> { ["productId"] = productId }));

        Assert.Equal(StatusCodes.Status400BadRequest, invalid.Problem.Status);
        Assert.Equal("Unknown category", invalid.Problem.Title);
        Assert.Equal(["Unknown category."], ((IReadOnlyDictionary<string, string[]>)invalid.Problem.Extensions["errors"]!)["category"]);
        Assert.Equal("pay_1", declined.Problem.Extensions["paymentReference"]);
        Assert.Equal((404, "Unknown Product", (object?)productId), (unknown.Problem.Status, unknown.Problem.Title, unknown.Problem.Extensions["productId"]));
    }

    [Fact]
    public void A_refusals_cause_stays_in_the_log_and_out_of_every_answer()
    {
        var refusal = new UnavailableRefusal("The basket store is unavailable.", new InvalidOperationException("redis:6379 refused the connection"))
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };

        var answer = ExceptionProblems.For(refusal);
        var wire = GrpcRefusals.ToRpcException(refusal);

        Assert.IsType<InvalidOperationException>(refusal.InnerException);
        Assert.Equal((503, "The basket store is unavailable."), (answer.Problem.Status, answer.Problem.Detail));
        Assert.DoesNotContain("redis", System.Text.Json.JsonSerializer.Serialize(answer.Problem), StringComparison.Ordinal);
        Assert.Equal((StatusCode.Unavailable, "The basket store is unavailable."), (wire.StatusCode, wire.Status.Detail));
    }

    [Fact]
    public void A_stock_shortfall_survives_the_round_trip_through_grpc()
    {
        var missing = Guid.NewGuid();
        var scarce = Guid.NewGuid();
        var sent = new OutOfStockRefusal([new StockShortage(missing, false, $"Product {missing} does not exist."),
            new StockShortage(scarce, true, $"Product {scarce}: requested 3, available 1.")]);

        var wire = GrpcRefusals.ToRpcException(sent);
        var received = GrpcRefusals.ToRefusal(wire, "product", TimeSpan.FromSeconds(30));

        Assert.Equal(StatusCode.FailedPrecondition, wire.StatusCode);
        Assert.Equal(["PRODUCT_NOT_FOUND", "INSUFFICIENT_STOCK"], wire.GetRpcStatus()!.GetDetail<PreconditionFailure>()!.Violations.Select(v => v.Type));
        var shortfall = Assert.IsType<OutOfStockRefusal>(received);
        Assert.Equal(sent.Shortages, shortfall.Shortages);
    }

    [Fact]
    public void Invalid_fields_are_sent_as_bad_request_details()
    {
        var wire = GrpcRefusals.ToRpcException(new InvalidRefusal(new Dictionary<string, string[]> { ["user_id"] = ["The user id must be a UUID."] }));

        Assert.Equal(StatusCode.InvalidArgument, wire.StatusCode);
        Assert.Equal(["user_id"], wire.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public void A_failed_call_becomes_the_refusal_it_stands_for_and_our_own_faults_stay_faults()
    {
        var breakDuration = TimeSpan.FromSeconds(30);

        var unanswered = GrpcRefusals.ToRefusal(new RpcException(new Status(StatusCode.Unavailable, "connection refused")), "product", breakDuration);
        var released = GrpcRefusals.ToRefusal(new RpcException(new Status(StatusCode.Aborted, "already released")), "product", breakDuration);
        var overloaded = GrpcRefusals.ToRefusal(new RpcException(new Status(StatusCode.ResourceExhausted, "busy")), "product", breakDuration);
        var ourBug = GrpcRefusals.ToRefusal(new RpcException(new Status(StatusCode.InvalidArgument, "order_id")), "product", breakDuration);

        Assert.IsType<UnavailableRefusal>(unanswered);
        Assert.Equal(TimeSpan.FromSeconds(5), unanswered.RetryAfter);
        Assert.IsType<ConflictRefusal>(released);
        Assert.IsType<UnavailableRefusal>(overloaded);
        Assert.Null(ourBug);
    }
}
