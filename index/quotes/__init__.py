"""Who said what: quote marks, speech cues, an article's names settled (cast.py), statement
extraction at ingest (extract.py), and the `!quotes`/`!people` lookups of the people registry at
query time (statements.py).

May import: index.people, index.text, index.search, index.storage, index.answers, index.settings.
"""
