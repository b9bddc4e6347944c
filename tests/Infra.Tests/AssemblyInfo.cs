// The jsii runtime drives one node process per test process; synthesis is not safe to run from
// several threads at once, and the shared fixture sets process environment variables.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
