"""The store: SQLite schema with its versioned migrations, reads and writes in transactions.

May import: index.text, index.settings, index.answers.
"""
