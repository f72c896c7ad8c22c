using BenchmarkDotNet.Running;

// Every benchmark class in this project; pick with BenchmarkDotNet's own arguments (--filter '*Dense*', --job short, …).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
