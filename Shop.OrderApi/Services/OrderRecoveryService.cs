using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Configuration;

namespace Shop.OrderApi.Services;

/// <summary>Runs the sweepers that finish what dead requests left behind, every Orders:Recovery:SweepInterval.</summary>
public sealed class OrderRecoveryService(IServiceScopeFactory scopes, IOptionsMonitor<OrderRecoveryOptions> options, TimeProvider time,
    ILogger<OrderRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<AbandonedClaimSweeper>().RunOnceAsync(stoppingToken);
                }
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<PaymentReconciler>().RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Order recovery sweep failed; retrying at the next interval");
            }
            await options.DelayUnlessReloadedAsync(o => o.SweepInterval, time, stoppingToken);
        }
    }
}
