"""Scoring the extractors against annotated gold (`coveragebot eval`), apart from the serving path.

May import: anything in index/; nothing in index/ imports it.
"""
