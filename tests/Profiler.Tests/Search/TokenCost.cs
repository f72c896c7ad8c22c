using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Network;
using static TorchSharp.torch;

namespace Profiler.Tests.Search;

/// <summary>A cost that grows with every token each layer sees, plus a price per merge: enough to fit budgets against.</summary>
internal sealed class TokenCost : IPlanCost
{
    public string Name => "tokens";

    public string Unit => "tokens";

    public Tensor Expected(SearchParameters parameters, ScoreKind score) => throw new NotSupportedException();

    public double Of(ReductionPlan plan)
    {
        var (a, m) = plan.Tokens(4, VqaModel.InputLayout.Count, VqaModel.InputLayout.ProtectedCount);
        return a.Sum() + m.Sum() + 40 * plan.Steps.Count(s => s.Operator == OperatorKind.Merge);
    }
}
