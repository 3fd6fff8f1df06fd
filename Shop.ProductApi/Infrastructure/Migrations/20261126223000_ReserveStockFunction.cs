using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.ProductApi.Infrastructure.Migrations
{
    /// <summary>
    /// ReserveStock as one server-side call: claim the order id, lock the products in id order, check, then
    /// decrement all or none. One round trip instead of six, so the product rows stay locked for the work only,
    /// not for five network waits; the hottest products are the ones many concurrent orders queue on.
    /// </summary>
    [DbContext(typeof(ProductsDbContext))]
    [Migration("20261126223000_ReserveStockFunction")]
    public partial class ReserveStockFunction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CreateFunctionSql);
        }

        /// <summary>This migration's version of the function (also what a later migration's Down restores).</summary>
        internal const string CreateFunctionSql = """
                CREATE FUNCTION reserve_stock(p_order_id uuid, p_ids uuid[], p_quantities integer[])
                RETURNS TABLE (status text, shortages jsonb, replayed boolean)
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_shortages jsonb;
                BEGIN
                    -- A concurrent call for the same order waits here on the key, then answers as that call did.
                    INSERT INTO reservations (order_id, status, created_at) VALUES (p_order_id, 'Reserved', now())
                    ON CONFLICT (order_id) DO NOTHING;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT r.status::text, r.shortages, true FROM reservations r WHERE r.order_id = p_order_id;
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
                        RETURN QUERY SELECT 'Rejected'::text, v_shortages, false;
                        RETURN;
                    END IF;

                    UPDATE products SET stock = products.stock - w.quantity, updated_at = now()
                      FROM unnest(p_ids, p_quantities) AS w(id, quantity)
                     WHERE products.id = w.id;
                    INSERT INTO reservation_lines (order_id, product_id, quantity)
                    SELECT p_order_id, w.id, w.quantity FROM unnest(p_ids, p_quantities) AS w(id, quantity);
                    RETURN QUERY SELECT 'Reserved'::text, NULL::jsonb, false;
                END
                $$;
                """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS reserve_stock(uuid, uuid[], integer[]);");
        }
    }
}
