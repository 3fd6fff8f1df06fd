using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One hand-written SQL statement run with Npgsql on the context's connection, inside the context's execution
/// strategy: after a transient failure the statement runs again, so it must be safe to run twice (an answer lost after
/// the commit is the case to think of). Called inside a strategy's operation, it runs in that operation's unit of
/// retry and in its transaction, if any; a transaction begun outside a strategy makes the retrying strategy refuse
/// (EF Core's rule for user-initiated transactions). The statement is an interpolated string like EF's
/// <c>ExecuteSqlAsync</c>: every hole becomes a positional parameter (<c>$1</c>, <c>$2</c>, …), never text in the SQL.
/// </summary>
/// <remarks>
/// For the hot paths' statements only. EF Core's <c>SqlQuery</c>/<c>FromSql</c> take each statement through its LINQ
/// pipeline (the expression with its parameters funcletized and hashed for the query cache, a buffered reader), and
/// <c>ExecuteSql</c> builds its command through EF's parameter type mapping and diagnostics; under the order benchmark
/// that work was the nearest library frame of about a fifth of order-api's CPU samples (perf, README "Measured").
/// Parameter types are Npgsql's for the values' CLR types; a <see langword="null"/> is sent untyped, as EF sends it,
/// and takes the type its place in the SQL gives it (the column it is assigned or inserted into). Npgsql's automatic
/// preparation applies as to every command (<see cref="PostgresDbContextExtensions.WithShopSessionSettings"/>).
/// </remarks>
public static class NpgsqlStatementExtensions
{
    /// <summary>
    /// Runs <paramref name="sql"/> and returns the rows it changed as PostgreSQL reports them (for a statement with
    /// data-modifying <c>WITH</c> parts: its main statement's).
    /// </summary>
    /// <exception cref="PostgresException">The server refused the statement (after the execution strategy's retries).</exception>
    public static Task<int> ExecuteStatementAsync(this DatabaseFacade database, FormattableString sql, CancellationToken cancellationToken) =>
        RunAsync(database, sql, 0, static (command, _, ct) => command.ExecuteNonQueryAsync(ct), cancellationToken);

    /// <summary>Runs <paramref name="sql"/> and maps each row it returns with <paramref name="readRow"/>, in order.</summary>
    /// <exception cref="PostgresException">The server refused the statement (after the execution strategy's retries).</exception>
    public static Task<List<T>> QueryStatementAsync<T>(this DatabaseFacade database, FormattableString sql, Func<NpgsqlDataReader, T> readRow,
        CancellationToken cancellationToken) =>
        RunAsync(database, sql, readRow, static async (command, readRow, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<T>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(readRow(reader));
            }
            return rows;
        }, cancellationToken);

    /// <summary>The one execution both methods share: the strategy, the connection held open for it, the command.</summary>
    private static Task<TResult> RunAsync<TState, TResult>(DatabaseFacade database, FormattableString sql, TState state,
        Func<NpgsqlCommand, TState, CancellationToken, Task<TResult>> run, CancellationToken cancellationToken) =>
        database.CreateExecutionStrategy().ExecuteAsync((database, sql, state, run), static async (context, ct) =>
        {
            var (database, sql, state, run) = context;
            await database.OpenConnectionAsync(ct);
            try
            {
                await using var command = CreateCommand(database, sql);
                return await run(command, state, ct);
            }
            finally
            {
                await database.CloseConnectionAsync();
            }
        }, cancellationToken);

    /// <summary>
    /// The statement's text with its holes numbered in order (<c>$1</c>, <c>$2</c>, …; a value used twice is two
    /// parameters) and its escaped braces (<c>{{</c>, <c>}}</c>) as single ones; no value ever enters the text.
    /// </summary>
    public static string PositionalSql(FormattableString sql)
    {
        var placeholders = new object[sql.ArgumentCount];
        for (var i = 0; i < placeholders.Length; i++)
        {
            placeholders[i] = "$" + (i + 1).ToString(CultureInfo.InvariantCulture);
        }
        return string.Format(CultureInfo.InvariantCulture, sql.Format, placeholders);
    }

    private static NpgsqlCommand CreateCommand(DatabaseFacade database, FormattableString sql)
    {
        var command = new NpgsqlCommand(PositionalSql(sql), (NpgsqlConnection)database.GetDbConnection(),
            (NpgsqlTransaction?)database.CurrentTransaction?.GetDbTransaction());
        foreach (var value in sql.GetArguments())
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}
