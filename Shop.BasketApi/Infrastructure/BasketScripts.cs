namespace Shop.BasketApi.Infrastructure;

/// <summary>
/// Every change of a cart is one Lua script, so concurrent writers never lose each other's lines. A cart is one hash:
/// <c>_v</c> the version, <c>_i</c> the instance (random per cart lifetime), and one field per product
/// (<c>{productId:N}</c> → <c>quantity|priceWhenAdded currencyWhenAdded|addedAtVersion|nameWhenAdded</c>). Scripts answer
/// <c>{status, HGETALL…}</c> so the caller sees the cart exactly as its change left it.
/// </summary>
internal static class BasketScripts
{
    /// <summary>The end of every script that changes a cart: the status 'ok', then the cart as the change left it.</summary>
    private const string AnswerCart = "\n" + """
        local all = redis.call('HGETALL', KEYS[1])
        table.insert(all, 1, 'ok')
        return all
        """;

    /// <summary>KEYS[1] cart; ARGV: product field, quantity, "price currency|", name, max lines, idle ms, new instance.</summary>
    public const string SetLine = """
        local field = ARGV[1]
        local current = redis.call('HGET', KEYS[1], field)
        if not current then
          local lines = redis.call('HLEN', KEYS[1])
          if lines > 0 then lines = lines - 2 end
          if lines >= tonumber(ARGV[5]) then return {'full'} end
        end
        redis.call('HSETNX', KEYS[1], '_i', ARGV[7])
        local version = redis.call('HINCRBY', KEYS[1], '_v', 1)
        if current then
          redis.call('HSET', KEYS[1], field, ARGV[2] .. '|' .. string.match(current, '^%d+|(.*)$'))
        else
          redis.call('HSET', KEYS[1], field, ARGV[2] .. '|' .. ARGV[3] .. version .. '|' .. ARGV[4])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        """ + AnswerCart;

    /// <summary>KEYS[1] cart; ARGV: product field, idle ms. Removing a line the cart does not have changes nothing.</summary>
    public const string RemoveLine = """
        if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
          redis.call('HINCRBY', KEYS[1], '_v', 1)
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        """ + AnswerCart;

    /// <summary>
    /// KEYS[1] cart, KEYS[2] its checked-out copy; ARGV: version, ms the copy is kept. Clears the cart only if nothing
    /// changed it since that version, by moving it to the checked-out copy.
    /// </summary>
    public const string CheckOutIfVersion = """
        if redis.call('HGET', KEYS[1], '_v') == ARGV[1] then
          redis.call('RENAME', KEYS[1], KEYS[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>
    /// KEYS[1] the shopper's cart, KEYS[2] the anonymous cart; ARGV: max lines, max quantity, idle ms, new instance.
    /// Quantities of a product in both are added (capped); new lines are taken while the cart has room; the anonymous
    /// cart is deleted. A missing anonymous cart changes nothing.
    /// </summary>
    public const string Merge = """
        local source = redis.call('HGETALL', KEYS[2])
        local changed = false
        if #source > 0 then
          local lines = redis.call('HLEN', KEYS[1])
          if lines > 0 then lines = lines - 2 end
          for i = 1, #source, 2 do
            local field = source[i]
            if string.sub(field, 1, 1) ~= '_' then
              local addedQuantity = tonumber(string.match(source[i + 1], '^(%d+)|'))
              local current = redis.call('HGET', KEYS[1], field)
              if current then
                local quantity, rest = string.match(current, '^(%d+)|(.*)$')
                local sum = math.min(tonumber(quantity) + addedQuantity, tonumber(ARGV[2]))
                redis.call('HSET', KEYS[1], field, string.format('%d', sum) .. '|' .. rest)
                changed = true
              elseif lines < tonumber(ARGV[1]) then
                redis.call('HSET', KEYS[1], field, source[i + 1])
                lines = lines + 1
                changed = true
              end
            end
          end
          redis.call('DEL', KEYS[2])
        end
        if changed then
          redis.call('HSETNX', KEYS[1], '_i', ARGV[4])
          redis.call('HINCRBY', KEYS[1], '_v', 1)
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        """ + AnswerCart;
}
