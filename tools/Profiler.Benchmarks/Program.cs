using BenchmarkDotNet.Running;
using Profiler.Benchmarks;

// Runs every benchmark; BenchmarkDotNet's own arguments (--filter, --job, …) pass through.
BenchmarkRunner.Run<ReductionBenchmarks>(args: args);
