using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.UserApi.Infrastructure;

public static class UniqueViolation
{
    public static bool IsDuplicateEmail(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && postgres.ConstraintName == UserEntityTypeConfiguration.NormalizedEmailIndex;
}
