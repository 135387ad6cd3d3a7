"""Who did what: events and verb classes, action extraction at ingest (extract.py) with each
action's factuality (factuality.py) and kind of doer (doers.py), question parsing and
matching (query.py), and the `!who` lookup (agents.py).

May import: index.text, index.search, index.storage, index.answers, index.settings.
"""
