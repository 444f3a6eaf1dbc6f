"""Benchmarks: measured side by side with their alternatives, results written to benchmarks/results/."""
