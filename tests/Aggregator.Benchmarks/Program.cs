using Aggregator.Benchmarks.Pipeline;
using Aggregator.Benchmarks.Suite;
using BenchmarkDotNet.Running;

// `suite` runs every figure of the performance targets with its same-run baseline (build/bench.sh).
if (args is ["suite", .. var suiteArgs])
{
    return await BenchmarkSuite.RunAsync(suiteArgs);
}

// `pipeline` runs the end-to-end measurement (real broker and database); anything else goes to BenchmarkDotNet.
if (args is ["pipeline", .. var rest])
{
    return await PipelineMeasurement.RunAsync(rest);
}

// `rollup-memory` measures the aggregation worker process's peak RSS during large rollups.
if (args is ["rollup-memory", .. var memoryArgs])
{
    return await RollupMemoryMeasurement.RunAsync(memoryArgs);
}

// Every benchmark class in this assembly is found by the switcher; pass --filter to pick some.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
