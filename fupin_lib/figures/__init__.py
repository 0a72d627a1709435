"""Figures: pure functions from clean tables to the period's figures and tables, per domain."""
