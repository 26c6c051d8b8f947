"""Benchmarks that print figures (not tests): run each from the project root as
`python -m bench.NAME` (`--help` for its options)."""
