"""Who said what: quote marks, speech cues, statement extraction at ingest (extract.py), and the
`!quotes`/`!people` lookups at query time (statements.py).

May import: index.text, index.search, index.storage, index.answers, index.settings.
"""
