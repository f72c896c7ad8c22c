using System.Diagnostics;
using System.Text.Json;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Store;
using Profiler.Profiles;

namespace Profiler.Measurement.Session;

/// <summary>
/// Profiling a device, as a library call: <see cref="Open"/> checks the files, plans the cases, opens (or resumes)
/// the raw store, takes the fingerprint and the reference suite; <see cref="Measure"/> runs the engine and writes the
/// profile. Every finished burst is in the raw store as it is measured, so a stopped run resumes with
/// <see cref="ProfileSettings.Resume"/> without losing any. <see cref="Run"/> does both in one call.
/// </summary>
public sealed class ProfileSession : IDisposable
{
    private readonly IBackend backend;
    private readonly RawStore store;
    private readonly EngineSettings engine;

    private ProfileSession(IBackend backend, ProfileSettings settings, RawStore store, EngineSettings engine, string profilePath, string storePath,
        IReadOnlyList<OperatorKind> operators, IReadOnlyList<OperatorCase> cases, IReadOnlyList<string> skipped, Fingerprint fingerprint, ReferenceSuite reference)
    {
        this.backend = backend;
        this.store = store;
        this.engine = engine;
        Settings = settings;
        ProfilePath = profilePath;
        StorePath = storePath;
        Operators = operators;
        Cases = cases;
        Skipped = skipped;
        Fingerprint = fingerprint;
        Reference = reference;
    }

    /// <summary>What was asked.</summary>
    public ProfileSettings Settings { get; }

    /// <summary>The profile file (full path).</summary>
    public string ProfilePath { get; }

    /// <summary>The raw store beside it.</summary>
    public string StorePath { get; }

    /// <summary>The operators measured.</summary>
    public IReadOnlyList<OperatorKind> Operators { get; }

    /// <summary>The cases to measure (those over <see cref="ProfileSettings.MaxCaseSeconds"/> left out).</summary>
    public IReadOnlyList<OperatorCase> Cases { get; }

    /// <summary>Keys of the cases left out as too slow.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>The device's fingerprint (the raw store's, when resumed).</summary>
    public Fingerprint Fingerprint { get; }

    /// <summary>The reference suite measured before the cases (the raw store's, when resumed).</summary>
    public ReferenceSuite Reference { get; }

    /// <summary>Opens, measures and writes in one call; <paramref name="say"/> hears what the session notes on the way.</summary>
    public static ProfileOutcome Run(IBackend backend, ProfileSettings settings, Action<string>? say = null,
        Action<EngineProgress>? progress = null, CancellationToken stop = default)
    {
        using var session = Open(backend, settings, say);
        return session.Measure(progress, stop);
    }

    /// <summary>
    /// Checks the files and settings (an impossible request is an <see cref="InputException"/>, before anything is
    /// measured), plans the cases, opens the raw store and measures what must come first: the slow-case probe and
    /// the reference suite, both kept in the store so that a resumed run reuses them.
    /// </summary>
    public static ProfileSession Open(IBackend backend, ProfileSettings settings, Action<string>? say = null)
    {
        var output = Path.GetFullPath(settings.Output);
        var storePath = RawStorePath(output);
        CheckFiles(settings, output, storePath);
        var operators = settings.Operators ?? backend.SupportedOperators;
        var unsupported = operators.Where(o => !backend.SupportedOperators.Contains(o)).ToList();
        if (unsupported.Count > 0)
            throw new InputException($"the {backend.Name} backend cannot run {string.Join(", ", unsupported.Select(o => o.Name()))} (it runs {string.Join(", ", backend.SupportedOperators.Select(o => o.Name()))})");
        var cases = CasePlan.Build(operators, settings.TokensOrPreset, settings.ReductionTokensOrPreset, settings.ShapeOrPreset, settings.Batch, settings.KeepRatios, settings.Aligned);
        var host = HostInfo.Collect();
        CasePlan.CheckSize(cases, host.MemoryBytes);
        var engine = new EngineSettings
        {
            MaxPerCase = settings.MaxCaseTime, Budget = settings.Budget, Seed = settings.Seed, CorrectDrift = settings.CorrectDrift,
        }.WithRounds(settings.Rounds);

        var store = RawStore.Open(storePath, startOver: settings.Force && !settings.Resume);
        try
        {
            var fingerprint = FingerprintFor(backend, store, host);
            CheckPlan(backend, store, storePath, settings, operators, engine, fingerprint.Threads);
            var skipped = SlowCases(backend, cases, settings, store, storePath);
            var reference = ReferenceSuiteFor(backend, store, say);
            cases = cases.Where(c => !skipped.Contains(c.Key)).ToList();
            if (cases.Count == 0) throw new InputException($"every case takes longer than --max-case-seconds {settings.MaxCaseSeconds}; raise it or choose fewer tokens");
            return new ProfileSession(backend, settings, store, engine, output, storePath, operators, cases, skipped, fingerprint, reference);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Measures the cases and writes the profile (atomically). Stopped through <paramref name="stop"/>, it writes no
    /// profile and returns an outcome that says so; every finished burst stays in the raw store.
    /// </summary>
    public ProfileOutcome Measure(Action<EngineProgress>? progress = null, CancellationToken stop = default)
    {
        var run = new MeasurementEngine(backend, engine).Run(Cases, store, progress, stop);
        if (stop.IsCancellationRequested) return new ProfileOutcome(ProfilePath, StorePath, null, run, Skipped);
        var document = ProfileAssembly.Build(Fingerprint, Reference, Settings, Operators, engine, run);
        ProfileWriter.Write(ProfilePath, document, force: true);
        return new ProfileOutcome(ProfilePath, StorePath, document, run, Skipped);
    }

    /// <inheritdoc />
    public void Dispose() => store.Dispose();

    /// <summary>The raw store lives beside the profile: x.profile.json → x.raw.sqlite.</summary>
    public static string RawStorePath(string profilePath)
    {
        var name = Path.GetFileName(profilePath);
        var stem = name.EndsWith(".profile.json", StringComparison.OrdinalIgnoreCase) ? name[..^".profile.json".Length] : Path.GetFileNameWithoutExtension(name);
        return Path.Combine(Path.GetDirectoryName(profilePath)!, stem + ".raw.sqlite");
    }

    private static void CheckFiles(ProfileSettings settings, string output, string storePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        if (Directory.Exists(output)) throw new InputException($"--out {settings.Output} is a directory; give a file name such as {Path.Combine(settings.Output, "cpu.profile.json")}");
        bool storeExists = File.Exists(storePath);
        if (storeExists) RawStore.ThrowIfInUse(storePath);
        if (settings.Resume)
        {
            if (!storeExists) throw new InputException($"nothing to resume: no raw store at {storePath}");
            if (File.Exists(output) && !settings.Force) throw new InputException($"{output} is already written; use --force to replace it");
            return;
        }
        if (File.Exists(output) && !settings.Force) throw new InputException(AtomicFile.ExistsMessage(output));
        if (storeExists && !settings.Force)
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

    private static void CheckPlan(IBackend backend, RawStore store, string storePath, ProfileSettings request, IReadOnlyList<OperatorKind> operators,
        EngineSettings settings, int threads)
    {
        var plan = JsonSerializer.Serialize(new
        {
            Backend = backend.Name, backend.Device, Preset = request.Preset.Name, Shape = request.ShapeOrPreset, Operators = operators.Select(o => o.Name()),
            Tokens = request.TokensOrPreset, ReductionTokens = request.ReductionTokensOrPreset, request.KeepRatios, request.Aligned, request.Batch, Threads = threads,
            settings.Seed, settings.TargetRelativeCi, settings.MinIterations, settings.MaxIterations, settings.MinRounds, settings.IterationsPerBurst,
            IterationUs = settings.IterationTarget.Microseconds, MaxCaseUs = settings.MaxPerCase.Microseconds,
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
    private static ReferenceSuite ReferenceSuiteFor(IBackend backend, RawStore store, Action<string>? say)
    {
        const string key = "reference";
        var saved = store.GetMeta(key);
        if (saved is not null) return JsonSerializer.Deserialize<ReferenceMeasurement>(saved)!.ToSuite();
        say?.Invoke("measuring the reference suite (per call, compute, memory)…");
        var measured = ReferenceProbe.Measure(backend);
        store.SetMeta(key, JsonSerializer.Serialize(measured));
        var suite = measured.ToSuite();
        foreach (var failure in suite.Failures)
            say?.Invoke($"note: the {failure.Name} reference case could not run on this backend: {PrintableText.Line(failure.Reason)}");
        return suite;
    }

    /// <summary>
    /// Each case is run once untimed (set-up) and once timed, smallest token count first; a case over
    /// <see cref="ProfileSettings.MaxCaseSeconds"/> is skipped together with the larger token counts of the same
    /// operator and sizes, which cost more still. The choice is kept in the raw store so that a resumed run measures
    /// the same cases.
    /// </summary>
    private static IReadOnlyList<string> SlowCases(IBackend backend, IReadOnlyList<OperatorCase> cases, ProfileSettings settings, RawStore store, string storePath)
    {
        const string key = "skipped";
        var saved = store.GetMeta(key);
        if (saved is not null)
        {
            var earlier = JsonSerializer.Deserialize<SkippedCases>(saved)!;
            if (earlier.LimitSeconds != settings.MaxCaseSeconds)
                throw new InputException($"{storePath} was started with --max-case-seconds {earlier.LimitSeconds}; resume with the same value, or start over with --force");
            return earlier.Keys;
        }
        if (settings.MaxCaseSeconds is not { } limit) return [];
        if (settings.Resume) throw new InputException($"{storePath} was started without --max-case-seconds; resume without it, or start over with --force");
        var skipped = new List<string>();
        foreach (var family in cases.GroupBy(c => (c.Operator, c.Variant, c.Hidden, c.Heads, c.MlpSize, c.Batch, c.TokensOut == c.TokensIn)))
        {
            bool over = false;
            foreach (var c in family.OrderBy(c => c.TokensIn).ThenBy(c => c.TokensOut))
            {
                if (!over)
                {
                    using var runner = backend.Prepare(c, settings.Seed);
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
}

/// <summary>What a profile run left: the profile (null when it was stopped), the engine's run and the cases left out.</summary>
public sealed record ProfileOutcome(string ProfilePath, string StorePath, ProfileDocument? Document, MeasurementRun Run, IReadOnlyList<string> Skipped)
{
    /// <summary>True when the run was stopped before the profile was written; the raw store keeps what it measured.</summary>
    public bool Stopped => Document is null;
}
