using System.Text.Json;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Store;
using Profiler.Profiles;

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
        var cases = CasePlan.Build(operators, request.Tokens, request.Shape, request.Batch);
        var settings = new EngineSettings { MaxPerCase = request.MaxCaseTime, Budget = request.Budget, Seed = request.Seed };

        if (request.Force && !request.Resume) DeleteStore(storePath);
        using var store = RawStore.Open(storePath);
        var fingerprint = FingerprintFor(backend, store);
        CheckPlan(store, storePath, request, operators, settings);

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

        var document = ProfileBuilder.Build(fingerprint, request, operators, settings, run);
        ProfileWriter.Write(output, document, force: true);
        Report(request, output, document, run);
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
        if (request.Resume)
        {
            if (!storeExists) throw new InputException($"nothing to resume: no raw store at {storePath}");
            if (File.Exists(output) && !request.Force) throw new InputException($"{output} is already written; use --force to replace it");
            return;
        }
        if (File.Exists(output) && !request.Force) throw new InputException($"{output} exists; use --force to replace it");
        if (storeExists && !request.Force)
            throw new InputException($"{storePath} holds an unfinished run; continue it with --resume or start over with --force");
    }

    private static void DeleteStore(string storePath)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(storePath + suffix);
    }

    private static Fingerprint FingerprintFor(IBackend backend, RawStore store)
    {
        var description = backend.Describe();
        var host = HostInfo.Collect();
        var current = new Fingerprint
        {
            Os = host.Os, CpuModel = host.CpuModel, LogicalCores = host.LogicalCores, MemoryBytes = host.MemoryBytes,
            DotNetVersion = host.DotNetVersion, Backend = backend.Name, BackendVersion = description.Version,
            Device = backend.Device, Provider = description.Provider, GpuName = description.GpuName, GpuDriver = description.GpuDriver,
            Threads = description.Threads, ThreadSettings = description.ThreadSettings, DType = "float32",
            ToolVersion = typeof(ProfileRun).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", Date = DateTimeOffset.UtcNow,
        };
        var saved = store.GetMeta("fingerprint");
        if (saved is null)
        {
            store.SetMeta("fingerprint", JsonSerializer.Serialize(current));
            return current;
        }
        var earlier = JsonSerializer.Deserialize<Fingerprint>(saved)!;
        if (earlier.HardwareKey != current.HardwareKey)
            throw new InputException($"the raw store was measured on other hardware ({earlier.HardwareKey}); this machine is {current.HardwareKey}");
        return earlier;
    }

    private static void CheckPlan(RawStore store, string storePath, ProfileRequest request, IReadOnlyList<OperatorKind> operators, EngineSettings settings)
    {
        var plan = JsonSerializer.Serialize(new
        {
            request.Backend, request.Device, Preset = request.Preset.Name, request.Shape, Operators = operators.Select(o => o.Name()),
            request.Tokens, request.Batch, request.Threads, settings.Seed, settings.TargetRelativeCi, settings.MinIterations,
            settings.MaxIterations, settings.MinRounds, settings.IterationsPerBurst, IterationUs = settings.IterationTarget.Microseconds,
            MaxCaseUs = settings.MaxPerCase.Microseconds,
        });
        var saved = store.GetMeta("plan");
        if (saved is null) store.SetMeta("plan", plan);
        else if (saved != plan)
            throw new InputException($"{storePath} was started with other settings; resume with the same options, or start over with --force");
    }

    private static void Report(ProfileRequest request, string output, ProfileDocument document, MeasurementRun run)
    {
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                profile = output, cases = document.Cases.Count, converged = document.Cases.Count(c => c.Converged),
                complete = run.Complete, wallSeconds = run.Elapsed.Seconds,
                matmulGflops = run.Ceilings.MatmulFlopsPerSecond / 1e9, memoryGBps = run.Ceilings.MemoryBytesPerSecond / 1e9,
            }));
            return;
        }
        ProfileTables.Summary(document, output, run.Elapsed);
        if (request.ShowTable) ProfileTables.Cases(document);
        if (!run.Complete)
            Console.Error.WriteLine("note: the budget ran out before every case converged; the profile says so (settings.complete = false)");
    }
}
