using Profiler.Core;
using Profiler.CostModel.Features;
using Profiler.CostModel.Fitting;
using Profiler.CostModel.Models;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The checks a surrogate passes beyond its JSON shape: known operators and regressors, finite parameters, trees
/// that are trees (every split and leaf reached exactly once from the root), sensible token ranges. Each problem is
/// reported as one line naming the field by its JSON path.
/// </summary>
public static class SurrogateValidator
{
    private static readonly HashSet<string> Regressors =
    [
        .. MlTreeRegressor.Names, MlLinearRegressor.RegressorName, FlopsBaseline.RegressorName, RooflineTrend.RegressorName,
    ];

    /// <summary>The first problem of <paramref name="document"/>, or null when it is sound.</summary>
    public static string? FindProblem(SurrogateDocument document)
    {
        if (FingerprintCheck.FindProblem(document.Profile.Fingerprint) is { } fingerprint)
            return $"profile.fingerprint.{fingerprint.Field}: {fingerprint.Message}";
        if (document.Profile.Fingerprint.Machine?.FindProblem() is { } machine)
            return $"profile.fingerprint.machine.{machine.Field}: {machine.Problem}";
        if (document.Profile.Reference?.ToSuite().FindProblem() is { } suite)
            return $"profile.reference{(suite.Field.Length > 0 ? "." + suite.Field : "")}: {suite.Problem}";
        if (document.Models.Count == 0) return "models is empty";
        var seen = new HashSet<string>();
        for (int i = 0; i < document.Models.Count; i++)
        {
            var path = $"models[{i}]";
            var model = document.Models[i];
            try
            {
                OperatorNames.Parse(model.Operator);
            }
            catch (InputException e)
            {
                return $"{path}.operator: {e.Message}";
            }
            if (!seen.Add(model.Key.Name)) return $"{path}: a second model for '{model.Key.Name}'";
            if (!Regressors.Contains(model.Regressor)) return $"{path}.regressor: unknown regressor '{model.Regressor}'";
            if (LinearProblem(model.Linear) is { } linear) return $"{path}.linear{linear}";
            if (model.Trees is not null && TreesProblem(model.Trees) is { } trees) return $"{path}.trees{trees}";
            if (model.Trees is null && MlTreeRegressor.Names.Contains(model.Regressor))
                return $"{path}.trees: a {model.Regressor} model needs its trees";
            if (model.MinTokens < 1 || model.MaxTokens < model.MinTokens)
                return $"{path}: minTokens {model.MinTokens} and maxTokens {model.MaxTokens} are not a token range";
            if (model.MaxTokens > TokenGrid.MostTokens)
                return $"{path}.maxTokens: {model.MaxTokens} is more than {TokenGrid.MostTokens}, the most a case may have";
            if (model.Shapes.Count == 0) return $"{path}.shapes is empty";
            for (int s = 0; s < model.Shapes.Count; s++)
            {
                if (ShapeProblem(model.Shapes[s]) is { } shape) return $"{path}.shapes[{s}]: {shape}";
            }
            if (SurrogatePredictions.FindProblem(model) is { } prediction) return $"{path} ({model.Key.Name}): {prediction}";
        }
        for (int i = 0; i < document.ModelCalibrations.Count; i++)
        {
            var c = document.ModelCalibrations[i];
            if (!(c.Factor > 0) || !double.IsFinite(c.Factor) || !(c.MeasuredMs > 0) || c.Layers < 1)
                return $"modelCalibrations[{i}]: not a calibration (factor {c.Factor}, measured {c.MeasuredMs} ms, {c.Layers} layers)";
        }
        return null;
    }

    private static string? ShapeProblem(ProfiledShape shape)
    {
        try
        {
            new ModelShape(shape.Hidden, shape.Heads, shape.MlpSize, 1).Validated();
        }
        catch (InputException e)
        {
            return e.Message;
        }
        if (shape.Batch < 1 || shape.Batch > OperatorCase.MostBatch) return $"batch {shape.Batch} is not between 1 and {OperatorCase.MostBatch}";
        return null;
    }

    private static string? LinearProblem(LinearCost linear)
    {
        if (!double.IsFinite(linear.BiasUs)) return $".biasUs: {linear.BiasUs} is not a finite number";
        foreach (var (name, weight) in linear.Weights)
        {
            if (!CostFeatures.Names.Contains(name)) return $".weights.{name}: unknown feature (known: {string.Join(", ", CostFeatures.Names)})";
            if (!double.IsFinite(weight)) return $".weights.{name}: {weight} is not a finite number";
        }
        return null;
    }

    private static string? TreesProblem(TreeEnsemble ensemble)
    {
        if (!double.IsFinite(ensemble.Bias)) return ".bias is not a finite number";
        if (!(ensemble.Temperature > 0 && double.IsFinite(ensemble.Temperature))) return $".temperature: {ensemble.Temperature} must be positive";
        if (!(ensemble.FloorLeak >= 0 && ensemble.FloorLeak < 1)) return $".floorLeak: {ensemble.FloorLeak} must be in [0, 1)";
        for (int t = 0; t < ensemble.Trees.Count; t++)
        {
            if (TreeProblem(ensemble.Trees[t]) is { } problem) return $".trees[{t}]{problem}";
        }
        if (!ensemble.OutputAxisIsSound) return ": the trees split on both tokensOut and ratio (the surrogate reads one of them)";
        return null;
    }

    private static string? TreeProblem(Tree tree)
    {
        if (!double.IsFinite(tree.Weight)) return ".weight is not a finite number";
        if (tree.Leaves.Count != tree.Splits.Count + 1)
            return $".leaves: {tree.Leaves.Count} leaves for {tree.Splits.Count} splits (a binary tree has one more leaf than splits)";
        if (tree.Leaves.Any(v => !double.IsFinite(v))) return ".leaves: a leaf value is not a finite number";
        var reached = new bool[tree.Splits.Count];
        var leaves = new bool[tree.Leaves.Count];
        for (int s = 0; s < tree.Splits.Count; s++)
        {
            var split = tree.Splits[s];
            var path = $".splits[{s}]";
            if (SizeFeatures.IndexOf(split.Feature) < 0) return $"{path}.feature: unknown feature '{split.Feature}' (known: {string.Join(", ", SizeFeatures.Names)})";
            if (!double.IsFinite(split.Threshold) || !double.IsFinite(split.Center)) return $"{path}: threshold and center must be finite";
            if (!(split.Width > 0 && double.IsFinite(split.Width))) return $"{path}.width: {split.Width} must be positive";
            foreach (var (child, side) in new[] { (split.Left, "left"), (split.Right, "right") })
            {
                bool ok = child >= 0 ? child > s && child < tree.Splits.Count && !reached[child] : ~child < tree.Leaves.Count && !leaves[~child];
                if (!ok) return $"{path}.{side}: {child} is not an unused later split or leaf";
                if (child >= 0) reached[child] = true;
                else leaves[~child] = true;
            }
        }
        if (tree.Splits.Count > 0 && !leaves.All(l => l)) return ".splits: a leaf is never reached";
        if (reached.Skip(1).Any(r => !r)) return ".splits: a split is never reached from the root";
        return null;
    }
}
