using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Shop.OrderApi.Infrastructure;

namespace Shop.OrderApi.IntegrationEvents;

/// <summary>
/// Wakes this process's outbox relay when it has just saved order events, so they leave at once instead of at the
/// relay's next poll. The poll stays, slower, as the fallback for rows no signal announced (another process's
/// crash, a signal lost).
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount > 0) return;
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another save announced it first: one wake-up covers both.
        }
    }

    /// <returns>True when woken by a save, false when the timeout passed.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}

/// <summary>Notifies <see cref="OutboxSignal"/> after a SaveChanges that wrote outbox rows has succeeded.</summary>
internal sealed class OutboxSignalInterceptor(OutboxSignal signal) : ISaveChangesInterceptor
{
    private static readonly object Marker = new();
    private readonly ConditionalWeakTable<DbContext, object> _savingEvents = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wake(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Mark(DbContext? context)
    {
        if (context is null) return;
        // Added rows are tracked as such from Add on; no scan for changes is needed here, and SaveChanges runs its
        // own right after this (Entries would otherwise run one more on every save).
        var tracker = context.ChangeTracker;
        var detectChanges = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            if (tracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added)) _savingEvents.AddOrUpdate(context, Marker);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detectChanges;
        }
    }

    private void Wake(DbContext? context)
    {
        // A save inside an explicit transaction wakes the relay before the commit: it then finds nothing and polls
        // later. Order writes save without one, so their events leave at once.
        if (context is not null && _savingEvents.Remove(context)) signal.Notify();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _savingEvents.Remove(context);
    }
}
