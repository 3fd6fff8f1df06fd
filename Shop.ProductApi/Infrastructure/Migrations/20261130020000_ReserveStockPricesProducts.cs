using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.ProductApi.Infrastructure.Migrations
{
    /// <summary>
    /// reserve_stock also answers with the reserved products as they are priced at that moment (id, sku, name, price,
    /// currency; read under the same row locks), so an order is reserved and priced in one call instead of a
    /// GetProducts before the ReserveStock.
    /// </summary>
    [DbContext(typeof(ProductsDbContext))]
    [Migration("20261130020000_ReserveStockPricesProducts")]
    public partial class ReserveStockPricesProducts : Migration
    {
        internal const string CreateReservedProductsSql = """
                CREATE FUNCTION reserved_products(p_ids uuid[]) RETURNS jsonb
                LANGUAGE sql STABLE AS $$
                    SELECT jsonb_agg(jsonb_build_object('id', p.id, 'sku', p.sku, 'name', p.name, 'price', p.price, 'currency', p.currency) ORDER BY p.id)
                      FROM products p WHERE p.id = ANY (p_ids)
                $$;
                """;

        internal const string CreateReserveStockSql = """
                CREATE FUNCTION reserve_stock(p_order_id uuid, p_ids uuid[], p_quantities integer[])
                RETURNS TABLE (status text, shortages jsonb, replayed boolean, products jsonb)
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_shortages jsonb;
                    v_status text;
                BEGIN
                    -- A concurrent call for the same order waits here on the key, then answers as that call did.
                    INSERT INTO reservations (order_id, status, created_at) VALUES (p_order_id, 'Reserved', now())
                    ON CONFLICT (order_id) DO NOTHING;
                    IF NOT FOUND THEN
                        SELECT r.status::text, r.shortages INTO v_status, v_shortages FROM reservations r WHERE r.order_id = p_order_id;
                        RETURN QUERY SELECT v_status, v_shortages, true,
                            CASE WHEN v_status = 'Reserved' THEN reserved_products(p_ids) END;
                        RETURN;
                    END IF;

                    -- Locks taken in id order: orders sharing products queue instead of deadlocking.
                    PERFORM 1 FROM products WHERE id = ANY (p_ids) ORDER BY id FOR UPDATE;

                    SELECT jsonb_agg(jsonb_build_object('productId', w.id, 'requested', w.quantity, 'available', p.stock) ORDER BY w.id)
                      INTO v_shortages
                      FROM unnest(p_ids, p_quantities) AS w(id, quantity)
                      LEFT JOIN products p ON p.id = w.id
                     WHERE p.id IS NULL OR p.stock < w.quantity;

                    IF v_shortages IS NOT NULL THEN
                        UPDATE reservations SET status = 'Rejected', shortages = v_shortages WHERE order_id = p_order_id;
                        RETURN QUERY SELECT 'Rejected'::text, v_shortages, false, NULL::jsonb;
                        RETURN;
                    END IF;

                    UPDATE products SET stock = products.stock - w.quantity, updated_at = now()
                      FROM unnest(p_ids, p_quantities) AS w(id, quantity)
                     WHERE products.id = w.id;
                    INSERT INTO reservation_lines (order_id, product_id, quantity)
                    SELECT p_order_id, w.id, w.quantity FROM unnest(p_ids, p_quantities) AS w(id, quantity);
                    RETURN QUERY SELECT 'Reserved'::text, NULL::jsonb, false, reserved_products(p_ids);
                END
                $$;
                """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION reserve_stock(uuid, uuid[], integer[]);");
            migrationBuilder.Sql(CreateReservedProductsSql);
            migrationBuilder.Sql(CreateReserveStockSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION reserve_stock(uuid, uuid[], integer[]);");
            migrationBuilder.Sql("DROP FUNCTION reserved_products(uuid[]);");
            migrationBuilder.Sql(ReserveStockFunction.CreateFunctionSql);
        }
    }
}
