using static TorchSharp.torch;

namespace Profiler.Tasks.Data;

/// <summary>Samples as tensors: patches B×144×108 (float32), question words B×2 and answers B (int64).</summary>
public sealed class Batch : IDisposable
{
    private Batch(Tensor patches, Tensor words, Tensor answers, QuestionType[] types)
    {
        Patches = patches;
        Words = words;
        Answers = answers;
        Types = types;
    }

    /// <summary>B×144×108 patch pixels.</summary>
    public Tensor Patches { get; }

    /// <summary>B×2 question word ids.</summary>
    public Tensor Words { get; }

    /// <summary>B answer ids.</summary>
    public Tensor Answers { get; }

    /// <summary>The question type of each sample.</summary>
    public QuestionType[] Types { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Types.Length;

    /// <summary>Renders the samples into tensors on <paramref name="device"/>.</summary>
    public static Batch From(IReadOnlyList<Sample> samples, Device? device = null)
    {
        int n = samples.Count;
        var pixels = new float[n * Renderer.Patches * Renderer.PatchValues];
        var words = new long[n * Vocabulary.QuestionLength];
        var answers = new long[n];
        var types = new QuestionType[n];
        for (int i = 0; i < n; i++)
        {
            var s = samples[i];
            Renderer.Patchify(s.Scene, pixels.AsSpan(i * Renderer.Patches * Renderer.PatchValues, Renderer.Patches * Renderer.PatchValues));
            var w = s.Question.Words();
            for (int j = 0; j < w.Length; j++) words[i * Vocabulary.QuestionLength + j] = w[j];
            answers[i] = s.Answer;
            types[i] = s.Question.Type;
        }
        device ??= CPU;
        return new Batch(
            tensor(pixels, [n, Renderer.Patches, Renderer.PatchValues]).to(device),
            tensor(words, [n, Vocabulary.QuestionLength]).to(device),
            tensor(answers, [n]).to(device),
            types);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Patches.Dispose();
        Words.Dispose();
        Answers.Dispose();
    }
}
