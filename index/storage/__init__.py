"""The store: one set of queries over two backends, each with its versioned migrations.

store (SQLite, and every query over a few primitives), registry (the people registry's
tables, relinked in each write's transaction), postgres (the same primitives on asyncpg),
schema and schema_postgres (one version numbering), backends (which one the settings name).
May import: index.people, index.text, index.settings, index.answers, index.records.
"""
