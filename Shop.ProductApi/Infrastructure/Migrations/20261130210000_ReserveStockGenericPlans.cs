using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.ProductApi.Infrastructure.Migrations
{
    /// <summary>
    /// reserve_stock's queries keep one generic plan each instead of being planned again on every call. PL/pgSQL
    /// caches its queries' plans, but a query with parameters gets a custom plan per call as long as PostgreSQL judges
    /// the generic one costlier, which it did for the array parameters here: planning inside the function was 9 % of
    /// PostgreSQL's CPU under the order benchmark (perf, README "Performance"). Every query of the function looks rows
    /// up by primary key or order id, so the generic plan is the custom one.
    /// </summary>
    [DbContext(typeof(ProductsDbContext))]
    [Migration("20261130210000_ReserveStockGenericPlans")]
    public partial class ReserveStockGenericPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER FUNCTION reserve_stock(uuid, uuid[], integer[]) SET plan_cache_mode = force_generic_plan;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER FUNCTION reserve_stock(uuid, uuid[], integer[]) RESET plan_cache_mode;");
        }
    }
}
