global using Profiler.Reports;
