"""The sentence index: BM25 over pre-analysed terms, served by tantivy.

May import: index.text, index.settings.
"""
