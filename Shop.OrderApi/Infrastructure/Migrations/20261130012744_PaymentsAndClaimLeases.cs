using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.OrderApi.Infrastructure.Migrations
{
    /// <summary>
    /// Payment attempts recorded before the provider is called (payments), the simulated provider's own
    /// ledger, the order's payment hold, and leases on idempotency claims so a dead request's stock is released.
    /// </summary>
    public partial class PaymentsAndClaimLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PaymentInProgressId",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CompletedAt",
                table: "idempotency_claims",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseExpiresAt",
                table: "idempotency_claims",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RevokedAt",
                table: "idempotency_claims",
                type: "timestamp with time zone",
                nullable: true);

            // Claims from before leases: those with a stored order are complete; the others are abandoned, and their
            // lease ends 30 s after they were claimed, so the sweeper releases what they reserved.
            migrationBuilder.Sql("""
                UPDATE idempotency_claims c SET
                    "LeaseExpiresAt" = c."ClaimedAt" + interval '30 seconds',
                    "CompletedAt" = CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o."Id" = c."OrderId") THEN c."ClaimedAt" END
                """);

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ProviderReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DeclineReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RefundReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_payments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_payments_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "simulated_provider_ledger",
                columns: table => new
                {
                    PaymentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DeclineReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RefundReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RefundedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_simulated_provider_ledger", x => x.PaymentId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_claims_open",
                table: "idempotency_claims",
                column: "LeaseExpiresAt",
                filter: "\"CompletedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_payments_OrderId",
                table: "payments",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_payments_unsettled",
                table: "payments",
                column: "UpdatedAt",
                filter: "\"Status\" IN ('Pending', 'RefundPending')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropTable(
                name: "simulated_provider_ledger");

            migrationBuilder.DropIndex(
                name: "IX_idempotency_claims_open",
                table: "idempotency_claims");

            migrationBuilder.DropColumn(
                name: "PaymentInProgressId",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "CompletedAt",
                table: "idempotency_claims");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "idempotency_claims");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "idempotency_claims");
        }
    }
}
