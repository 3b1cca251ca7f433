"""Benchmarks: `make bench` (python -m bench [NAME ...]) prints medians and ratios to targets."""
