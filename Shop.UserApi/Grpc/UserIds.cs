using Shop.ServiceDefaults.Refusals;

namespace Shop.UserApi.Grpc;

/// <summary>The <c>user_id</c> field of the user service's gRPC requests (user.proto, account_security.proto).</summary>
public static class UserIds
{
    /// <exception cref="InvalidRefusal">The value is not a UUID (INVALID_ARGUMENT naming <c>user_id</c>).</exception>
    public static Guid Parse(string value) =>
        Guid.TryParse(value, out var id) ? id : throw InvalidRefusal.Field("user_id", "The user id must be a UUID.");
}
