"""The store: one set of queries over two backends, each with its versioned migrations.

store (SQLite, and every query over a few primitives), postgres (the same primitives on
asyncpg), schema and schema_postgres (one version numbering), backends (which one the
settings name). May import: index.text, index.settings, index.answers, index.records.
"""
