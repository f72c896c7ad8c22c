using Profiler.Core;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// A loaded surrogate file: the chosen cost model of every profiled operator, ready to be turned into differentiable
/// modules (<see cref="Operator"/>, <see cref="ModelLevel.ModelLatencySurrogate"/>) or evaluated directly.
/// </summary>
public sealed class LatencySurrogate
{
    private readonly Dictionary<ModelKey, SurrogateModel> models;

    /// <summary>
    /// Wraps a checked document (see <see cref="SurrogateFile.Read"/>); with <paramref name="transfer"/>, every
    /// prediction is carried to another machine (see <see cref="SurrogateTransfer"/>).
    /// </summary>
    public LatencySurrogate(SurrogateDocument document, TransferFactors? transfer = null)
    {
        Document = document;
        Transfer = transfer;
        models = document.Models.ToDictionary(m => m.Key);
    }

    /// <summary>Reads and checks the surrogate at <paramref name="path"/> (see <see cref="SurrogateValidator"/>).</summary>
    public static LatencySurrogate Load(string path) => new(SurrogateFile.Read(path));

    /// <summary>The document.</summary>
    public SurrogateDocument Document { get; }

    /// <summary>The factors every prediction is transferred by; null when it predicts for the profiled machine.</summary>
    public TransferFactors? Transfer { get; }

    /// <summary>The profile's reference suite (null when the profile had none: such a surrogate cannot be checked).</summary>
    public ReferenceSuite? ReferenceSuite => Document.Profile.Reference?.ToSuite();

    /// <summary>This surrogate with its predictions transferred by <paramref name="factors"/> (from the file's own values).</summary>
    public LatencySurrogate WithTransfer(TransferFactors factors) => new(Document, factors);

    /// <summary>A prediction of <paramref name="key"/>'s model in microseconds, transferred where this surrogate transfers.</summary>
    public double TransferredUs(ModelKey key, double predictionUs) =>
        Transfer is { } factors ? SurrogateTransfer.TransferUs(Model(key).Linear, predictionUs, factors) : predictionUs;

    /// <summary>The operators (and variants) it has a model for.</summary>
    public IReadOnlyList<ModelKey> Keys => models.Keys.OrderBy(k => k.Operator).ThenBy(k => k.Variant, StringComparer.Ordinal).ToList();

    /// <summary>True when it has a model for <paramref name="key"/>.</summary>
    public bool Has(ModelKey key) => models.ContainsKey(key);

    /// <summary>The model for <paramref name="key"/>; an <see cref="InputException"/> naming the known ones when absent.</summary>
    public SurrogateModel Model(ModelKey key) => models.TryGetValue(key, out var model)
        ? model
        : throw new InputException($"the surrogate has no model for '{key.Name}' (it has: {string.Join(", ", Keys.Select(k => k.Name))}); profile that operator and fit again");

    /// <summary>The differentiable surrogate of one operator at one shape.</summary>
    public OperatorSurrogate Operator(ModelKey key, CaseShape shape) => new(Model(key).CostModel, shape, Transfer);

    /// <summary>The chosen model's own prediction (trees evaluated hard, as fitted, then transferred where this surrogate transfers) for a case.</summary>
    public Latency PredictFitted(OperatorCase c)
    {
        var key = ModelKey.Of(c);
        return Latency.FromMicroseconds(TransferredUs(key, Model(key).CostModel.PredictUs(c.Validated())));
    }

    /// <summary>A note when <paramref name="shape"/> or the token count lies outside what was profiled; null otherwise.</summary>
    public string? Extrapolation(CaseShape shape, double tokensIn)
    {
        var model = Model(shape.Key);
        var notes = new List<string>();
        if (!model.Shapes.Contains(new ProfiledShape(shape.Hidden, shape.Heads, shape.MlpSize, shape.Batch, shape.DType)))
            notes.Add($"shape {shape.Sizes} was not profiled (profiled: {string.Join("; ", model.Shapes.Select(s => $"d={s.Hidden} h={s.Heads} m={s.MlpSize} b={s.Batch} {s.DType}"))}), so the roofline trend carries it");
        if (tokensIn < model.MinTokens || tokensIn > model.MaxTokens)
            notes.Add($"{tokensIn} tokens lies outside the profiled {model.MinTokens}–{model.MaxTokens}");
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    /// <summary>
    /// Refuses (with an <see cref="InputException"/>) when <paramref name="requested"/> is other hardware than the
    /// profile this surrogate was fitted on, unless <paramref name="allowMismatch"/>; returns a warning or null.
    /// </summary>
    /// <param name="requested">The fingerprint the prediction is for.</param>
    /// <param name="what">What it is, for the message (e.g. "the profile x.profile.json", "this machine").</param>
    /// <param name="allowMismatch">The user's explicit permission.</param>
    public string? CheckFingerprint(Fingerprint requested, string what, bool allowMismatch)
    {
        var own = Document.Profile.Fingerprint.HardwareKey;
        if (own == requested.HardwareKey) return null;
        var message = $"the surrogate was fitted on other hardware than {what}: fitted on [{own}], requested [{requested.HardwareKey}]";
        if (!allowMismatch) throw new InputException(message + "; pass --allow-mismatch to use it anyway");
        return message + " (allowed by --allow-mismatch)";
    }
}
