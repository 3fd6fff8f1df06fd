namespace Shop.ServiceDefaults.Shutdown;

/// <summary>Set once the host begins stopping; health turns DOWN and new requests are refused from then on.</summary>
public sealed class ShutdownState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    internal void BeginDrain() => _draining = true;
}
