namespace Shop.Tests.Infrastructure;

/// <summary>
/// Base of a test class whose tests stop or kill part of the collection's shared app. After each test, pass or fail,
/// it waits until the app has recovered (<see cref="ShopAppFixture.WaitForRecoveryAsync"/>), so the next test meets
/// the whole system and not a gateway still answering 503 for a service restarted a moment ago.
/// </summary>
public abstract class SystemDisruptingTests(ShopAppFixture fixture) : IAsyncLifetime
{
    protected ShopAppFixture Fixture { get; } = fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Fixture.WaitForRecoveryAsync();
}
