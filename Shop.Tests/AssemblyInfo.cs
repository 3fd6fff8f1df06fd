// Two cores: one app at a time. Each collection shares one started AppHost.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
