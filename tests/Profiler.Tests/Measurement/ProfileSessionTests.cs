using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Session;

namespace Profiler.Tests.Measurement;

/// <summary>Profiling as a library call: a stopped session writes no profile and resumes from its raw store.</summary>
public class ProfileSessionTests
{
    private static Latency FakeLatency(OperatorCase c) => Latency.FromMicroseconds(5 + 0.3 * c.TokensIn + 0.1 * c.TokensOut);

    [Fact]
    public void A_stopped_session_keeps_its_bursts_and_a_resumed_one_writes_every_case()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        var folder = Directory.CreateTempSubdirectory("profiler-session-").FullName;
        try
        {
            var tokens = Enumerable.Range(1, 3 + random.Next(3)).Select(i => 8 * i).ToList();
            var settings = new ProfileSettings
            {
                Output = Path.Combine(folder, "fake.profile.json"), Operators = [OperatorKind.Attention, OperatorKind.Prune],
                Tokens = tokens, ReductionTokens = tokens, Seed = seed,
            };
            using var backend = new FakeBackend(new FakeClock(), FakeLatency, noise: 0.01, seed: seed);
            using var stop = new CancellationTokenSource();
            var notes = new List<string>();
            ProfileOutcome stopped;
            using (var session = ProfileSession.Open(backend, settings, notes.Add))
            {
                Assert.NotEmpty(session.Cases);
                stopped = session.Measure(p => { if (p.CasesDone > 0 || p.Round > 0) stop.Cancel(); }, stop.Token);
            }
            Assert.True(stopped.Stopped, $"seed {seed}");
            Assert.False(File.Exists(settings.Output));
            Assert.True(File.Exists(stopped.StorePath));
            Assert.Contains(notes, n => n.Contains("reference suite"));
            // A second run that neither resumes nor forces is refused: the store holds an unfinished run.
            Assert.Throws<InputException>(() => ProfileSession.Open(backend, settings));

            var resumed = ProfileSession.Run(backend, settings with { Resume = true });
            Assert.False(resumed.Stopped);
            var expected = CasePlan.Build(settings.Operators!, tokens, tokens, Preset.Tiny.Shape, 1, settings.KeepRatios, settings.Aligned);
            Assert.Equal(expected.Select(c => c.Key).Order(), resumed.Document!.Cases.Select(c => c.Case.Key).Order());
            Assert.True(File.Exists(settings.Output));
            Assert.Throws<InputException>(() => ProfileSession.Open(backend, settings));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
