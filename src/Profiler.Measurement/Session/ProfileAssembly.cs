using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Profiles;

namespace Profiler.Measurement.Session;

/// <summary>Turns a measurement run into a profile document.</summary>
public static class ProfileAssembly
{
    public static ProfileDocument Build(Fingerprint fingerprint, ReferenceSuite reference, ProfileSettings request, IReadOnlyList<OperatorKind> operators,
        EngineSettings settings, MeasurementRun run)
    {
        double peak = run.Ceilings.MatmulFlopsPerSecond;
        var cases = run.Cases.Select(m =>
        {
            double achieved = m.Flops / m.Latency.Value.Seconds;
            return new CaseEntry
            {
                Case = m.Case, Latency = m.Latency, Statistics = m.Statistics, UncorrectedMedian = m.UncorrectedMedian,
                InvocationsPerIteration = m.Invocations, Rounds = m.Rounds, Converged = m.Converged,
                Flops = m.Flops, Bytes = m.Bytes, AchievedFlopsPerSecond = achieved, FractionOfPeak = peak > 0 ? achieved / peak : 0,
            };
        }).ToList();
        return new ProfileDocument
        {
            Fingerprint = fingerprint,
            Settings = new RunSettings
            {
                Preset = request.Preset.Name, Operators = operators, Tokens = request.TokensOrPreset, Threads = fingerprint.Threads,
                Batch = request.Batch, DType = "float32", Seed = settings.Seed,
                Rounds = run.Cases.Count == 0 ? 0 : run.Cases.Max(c => c.Rounds), Estimator = LatencyEstimate.Name,
                TargetRelativeCiHalfWidth = settings.TargetRelativeCi, MinIterations = settings.MinIterations,
                MaxIterations = settings.MaxIterations, MaxTimePerCase = settings.MaxPerCase, IterationTime = settings.IterationTarget,
                Budget = settings.Budget, Complete = run.Complete,
            },
            Ceilings = new DeviceCeilings
            {
                MatmulFlopsPerSecond = run.Ceilings.MatmulFlopsPerSecond, MatmulSize = run.Ceilings.MatmulDescription,
                MemoryBytesPerSecond = run.Ceilings.MemoryBytesPerSecond, MemorySize = run.Ceilings.MemoryDescription,
            },
            Drift = new DriftRecord
            {
                Sentinel = run.Drift.Description, SentinelMedians = run.Drift.BoundaryMedians,
                Corrections = run.Drift.RoundFactors, Applied = run.Drift.Applied,
                SpreadAsTimed = double.IsFinite(run.Drift.SpreadAsTimed) ? run.Drift.SpreadAsTimed : null,
                SpreadCorrected = double.IsFinite(run.Drift.SpreadCorrected) ? run.Drift.SpreadCorrected : null,
            },
            Reference = reference,
            Cases = cases,
        };
    }
}
