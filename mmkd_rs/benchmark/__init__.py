"""Benchmark records, aggregation into leaderboards, tables and plots."""
