"""Benchmarks (issue 4): answer quality against two baselines, matching speed, and webhook throughput under wrk."""
