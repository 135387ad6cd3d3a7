"""`!verify`: were these words printed in the coverage, by whom, and where.

align.py compares the words asked about with printed words, word by word; answer.py holds
the answer the front ends render; check.py finds the candidates (the sentence index and
the stored statements) and decides the verdict.

May import: index.quotes, index.people, index.search, index.storage, index.text, index.answers,
index.settings.
"""
