using Profiler.Core;

namespace Profiler.Cli.Commands;

/// <summary>Turns operators × token counts × a shape into the list of cases a run measures.</summary>
internal static class CasePlan
{
    public static IReadOnlyList<OperatorCase> Build(IReadOnlyList<OperatorKind> operators, IReadOnlyList<int> tokens, ModelShape shape, int batch)
    {
        var cases = new List<OperatorCase>();
        foreach (var op in operators)
        {
            if (op.IsReduction() || op == OperatorKind.Score)
                throw new InputException($"profiling '{op.Name()}' needs the reduction operators, which this build does not have yet");
            foreach (var n in tokens)
                cases.Add(OperatorCase.Dense(op, n, shape, batch).Validated());
        }
        return cases;
    }
}
