"""Benchmarks: each goal measured as a ratio against a baseline in the same run (`make bench`)."""
