"""Synthetic demo data: a Dutch municipality in exchange format v1 (RULES.md §6)."""

from inbeeld.demo.generator import DemoSummary, generate_demo_data

__all__ = ["DemoSummary", "generate_demo_data"]
