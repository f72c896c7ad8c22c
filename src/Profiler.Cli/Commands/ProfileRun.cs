using System.Diagnostics;
using System.Text.Json;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Store;
using Profiler.Profiles;
using Profiler.Search;

namespace Profiler.Cli.Commands;

/// <summary>Carries out a profile request: checks, raw store, engine, profile file, summary.</summary>
internal static class ProfileRun
{
    public static int Execute(ProfileRequest request)
    {
        var output = Path.GetFullPath(request.Output);
        var storePath = RawStorePath(output);
        CheckFiles(request, output, storePath);

        using var backend = BackendFactory.Open(request.Backend, request.Device, request.Threads);
        var operators = request.Operators ?? backend.SupportedOperators;
        var unsupported = operators.Where(o => !backend.SupportedOperators.Contains(o)).ToList();
        if (unsupported.Count > 0)
            throw new InputException($"the {backend.Name} backend cannot run {string.Join(", ", unsupported.Select(o => o.Name()))} (it runs {string.Join(", ", backend.SupportedOperators.Select(o => o.Name()))})");
        var cases = CasePlan.Build(operators, request.Tokens, request.ReductionTokens, request.Shape, request.Batch, request.KeepRatios, request.Aligned);
        var host = HostInfo.Collect();
        CasePlan.CheckSize(cases, host.MemoryBytes);
        var settings = new EngineSettings
        {
            MaxPerCase = request.MaxCaseTime, Budget = request.Budget, Seed = request.Seed, CorrectDrift = request.CorrectDrift,
        }.WithRounds(request.Rounds);

        using var store = RawStore.Open(storePath, startOver: request.Force && !request.Resume);
        var fingerprint = FingerprintFor(backend, store, host);
        CheckPlan(store, storePath, request, operators, settings);
        var skipped = SlowCases(backend, cases, request, settings.Seed, store, storePath);
        var reference = ReferenceSuiteFor(backend, store, request.Quiet || request.Json);
        cases = cases.Where(c => !skipped.Contains(c.Key)).ToList();
        if (cases.Count == 0) throw new InputException($"every case takes longer than --max-case-seconds {request.MaxCaseSeconds}; raise it or choose fewer tokens");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        MeasurementRun run;
        try
        {
            var engine = new MeasurementEngine(backend, settings);
            run = ProgressDisplay.Run(cases.Count, report => engine.Run(cases, store, report, cancel.Token));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine($"stopped: every finished burst is kept in {storePath}; run the same command with --resume to continue");
            return CommandLine.Interrupted;
        }

        var document = ProfileBuilder.Build(fingerprint, reference, request, operators, settings, run);
        ProfileWriter.Write(output, document, force: true);
        Report(request, output, document, run, skipped);
        return CommandLine.Success;
    }

    /// <summary>The raw store lives beside the profile: x.profile.json → x.raw.sqlite.</summary>
    public static string RawStorePath(string profilePath)
    {
        var name = Path.GetFileName(profilePath);
        var stem = name.EndsWith(".profile.json", StringComparison.OrdinalIgnoreCase) ? name[..^".profile.json".Length] : Path.GetFileNameWithoutExtension(name);
        return Path.Combine(Path.GetDirectoryName(profilePath)!, stem + ".raw.sqlite");
    }

    private static void CheckFiles(ProfileRequest request, string output, string storePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        if (Directory.Exists(output)) throw new InputException($"--out {request.Output} is a directory; give a file name such as {Path.Combine(request.Output, "cpu.profile.json")}");
        bool storeExists = File.Exists(storePath);
        if (storeExists) RawStore.ThrowIfInUse(storePath);
        if (request.Resume)
        {
            if (!storeExists) throw new InputException($"nothing to resume: no raw store at {storePath}");
            if (File.Exists(output) && !request.Force) throw new InputException($"{output} is already written; use --force to replace it");
            return;
        }
        if (File.Exists(output) && !request.Force) throw new InputException(AtomicFile.ExistsMessage(output));
        if (storeExists && !request.Force)
            throw new InputException($"{storePath} holds an unfinished run; continue it with --resume or start over with --force");
    }

    private static Fingerprint FingerprintFor(IBackend backend, RawStore store, HostInfo host)
    {
        var current = BackendFingerprint.Of(backend, host);
        var saved = store.GetMeta("fingerprint");
        if (saved is null)
        {
            store.SetMeta("fingerprint", JsonSerializer.Serialize(current));
            return current;
        }
        var earlier = JsonSerializer.Deserialize<Fingerprint>(saved)!;
        if (earlier.Threads != current.Threads && (earlier with { Threads = current.Threads }).HardwareKey == current.HardwareKey)
            throw new InputException($"the raw store was measured with {earlier.Threads} thread(s), this run asks for {current.Threads}; resume with --threads {earlier.Threads}, or start over with --force");
        if (earlier.HardwareKey != current.HardwareKey)
            throw new InputException($"the raw store was measured on other hardware ({earlier.HardwareKey}); this machine is {current.HardwareKey}");
        return earlier;
    }

    private static void CheckPlan(RawStore store, string storePath, ProfileRequest request, IReadOnlyList<OperatorKind> operators, EngineSettings settings)
    {
        var plan = JsonSerializer.Serialize(new
        {
            request.Backend, request.Device, Preset = request.Preset.Name, request.Shape, Operators = operators.Select(o => o.Name()),
            request.Tokens, request.ReductionTokens, request.KeepRatios, request.Aligned, request.Batch, request.Threads, settings.Seed, settings.TargetRelativeCi, settings.MinIterations,
            settings.MaxIterations, settings.MinRounds, settings.IterationsPerBurst, IterationUs = settings.IterationTarget.Microseconds,
            MaxCaseUs = settings.MaxPerCase.Microseconds,
        });
        var saved = store.GetMeta("plan");
        if (saved is null) store.SetMeta("plan", plan);
        else if (saved != plan)
            throw new InputException($"{storePath} was started with other settings; resume with the same options, or start over with --force");
    }

    /// <summary>
    /// The reference suite, measured through the run's own backend before any case (a few seconds) and kept in the
    /// raw store with its samples, so that a resumed run reuses it instead of measuring a machine that may have changed.
    /// </summary>
    private static ReferenceSuite ReferenceSuiteFor(IBackend backend, RawStore store, bool quiet)
    {
        const string key = "reference";
        var saved = store.GetMeta(key);
        if (saved is not null) return JsonSerializer.Deserialize<ReferenceMeasurement>(saved)!.ToSuite();
        if (!quiet) Console.Error.WriteLine("measuring the reference suite (per call, compute, memory)…");
        var measured = ReferenceProbe.Measure(backend);
        store.SetMeta(key, JsonSerializer.Serialize(measured));
        var suite = measured.ToSuite();
        foreach (var failure in suite.Failures)
            Console.Error.WriteLine($"note: the {failure.Name} reference case could not run on this backend: {PrintableText.Line(failure.Reason)}");
        return suite;
    }

    /// <summary>
    /// --max-case-seconds: each case is run once untimed (set-up) and once timed, smallest token count first; a case
    /// over the limit is skipped together with the larger token counts of the same operator and sizes, which cost
    /// more still. The choice is kept in the raw store so that a resumed run measures the same cases.
    /// </summary>
    private static IReadOnlyList<string> SlowCases(IBackend backend, IReadOnlyList<OperatorCase> cases, ProfileRequest request, int seed,
        RawStore store, string storePath)
    {
        const string key = "skipped";
        var saved = store.GetMeta(key);
        if (saved is not null)
        {
            var earlier = JsonSerializer.Deserialize<SkippedCases>(saved)!;
            if (earlier.LimitSeconds != request.MaxCaseSeconds)
                throw new InputException($"{storePath} was started with --max-case-seconds {earlier.LimitSeconds}; resume with the same value, or start over with --force");
            return earlier.Keys;
        }
        if (request.MaxCaseSeconds is not { } limit) return [];
        if (request.Resume) throw new InputException($"{storePath} was started without --max-case-seconds; resume without it, or start over with --force");
        var skipped = new List<string>();
        foreach (var family in cases.GroupBy(c => (c.Operator, c.Variant, c.Hidden, c.Heads, c.MlpSize, c.Batch, c.TokensOut == c.TokensIn)))
        {
            bool over = false;
            foreach (var c in family.OrderBy(c => c.TokensIn).ThenBy(c => c.TokensOut))
            {
                if (!over)
                {
                    using var runner = backend.Prepare(c, seed);
                    runner.Invoke();
                    runner.Synchronize();
                    long start = Stopwatch.GetTimestamp();
                    runner.Invoke();
                    runner.Synchronize();
                    over = Stopwatch.GetElapsedTime(start).TotalSeconds > limit;
                }
                if (over) skipped.Add(c.Key);
            }
        }
        store.SetMeta(key, JsonSerializer.Serialize(new SkippedCases(limit, skipped)));
        return skipped;
    }

    private sealed record SkippedCases(double? LimitSeconds, IReadOnlyList<string> Keys);

    private static void Report(ProfileRequest request, string output, ProfileDocument document, MeasurementRun run, IReadOnlyList<string> skipped)
    {
        if (request.Quiet) return;
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                profile = output, cases = document.Cases.Count, converged = document.Cases.Count(c => c.Converged),
                complete = run.Complete, wallSeconds = run.Elapsed.Seconds, skipped,
                matmulGflops = run.Ceilings.MatmulFlopsPerSecond / 1e9, memoryGBps = run.Ceilings.MemoryBytesPerSecond / 1e9,
            }));
            return;
        }
        ProfileTables.Summary(document, output, run.Elapsed);
        if (skipped.Count > 0)
            Console.Error.WriteLine($"note: {skipped.Count} case(s) over --max-case-seconds {request.MaxCaseSeconds} were not measured: {string.Join("; ", skipped)}");
        if (request.ShowTable) ProfileTables.Cases(document);
        if (!run.Complete)
            Console.Error.WriteLine("note: the budget ran out before every case converged; the profile says so (settings.complete = false)");
    }
}
