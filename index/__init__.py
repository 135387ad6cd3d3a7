"""The engine: articles in, quoted answers out. Pure Python plus spaCy and tantivy; no Discord.

Layers, each importing only those below it:
  commands.py (the `!name args` layer both front ends call) -> service.py (the façade: add,
  search, who, quotes, sources, stats) -> analysis.py (one article's parse, passages, statements,
  actions) -> the capabilities quotes/, who/, ingest/, stats.py, privacy.py -> search/,
  storage/ and people/ (the registry's kinds and linking, which the store runs) -> text/.
  answers.py and settings.py are plain data that any layer may import.
  evaluation/ scores the extractors against gold and is never imported by the serving path.
  replica.py keeps this process's index following a shared store's changes (under service.py);
  archive/ imports a dump of articles through the service, parsing in worker processes.
"""
