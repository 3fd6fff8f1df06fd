using System.Diagnostics;
using Npgsql;

namespace Shop.Benchmarks.Perf;

/// <summary>
/// The maintenance a load leaves PostgreSQL to do later: an autovacuum worker still running, or a table of a Shop
/// database past a threshold at which autovacuum vacuums or analyzes it (the server's settings; the formulas are the
/// ones of PostgreSQL 15's manual, "The Autovacuum Daemon"; per-table storage parameters are not read, Shop sets none;
/// the system catalogs and TOAST tables are not looked at, and PostgreSQL 18's capped threshold is not modelled).
/// The idle row waits for it so that it measures a system with nothing left to do, and reports the wait apart.
/// </summary>
/// <param name="connectionStrings">One per Shop database, all on the same server.</param>
internal sealed class AutovacuumBacklog(IReadOnlyList<string> connectionStrings)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private const string DueTables = """
        SELECT current_database() || '.' || s.relname
        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        WHERE s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
                + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0)
           OR current_setting('autovacuum_vacuum_insert_threshold')::float8 >= 0
              AND s.n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8
                + current_setting('autovacuum_vacuum_insert_scale_factor')::float8 * greatest(c.reltuples, 0)
           OR s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)
        UNION ALL
        SELECT 'autovacuum worker on ' || datname FROM pg_stat_activity
        WHERE backend_type = 'autovacuum worker'
        """;

    /// <summary>Polls every 2 s until nothing is due (or <paramref name="atMost"/> has passed).</summary>
    /// <returns>The time waited, and what was still due when the wait gave up (empty when it ended because nothing was).</returns>
    public async Task<(TimeSpan Waited, IReadOnlyList<string> StillDue)> WaitUntilCaughtUpAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var due = await ReadDueAsync(cancellationToken);
            if (due.Count == 0 || clock.Elapsed >= atMost) return (clock.Elapsed, due);
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<string>> ReadDueAsync(CancellationToken cancellationToken)
    {
        var due = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var connectionString in connectionStrings)
        {
            // No pool: the idle window that follows should not count idle connections the bench left open.
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(DueTables, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) due.Add(reader.GetString(0));
        }
        return [.. due];
    }
}
