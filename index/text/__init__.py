"""Language basics every capability shares: the analyzer (folding, stems, stopwords), the spaCy
pipeline, sentence segmentation into passages, and people's names (titles, aliases, pronouns).

May import: index.answers, index.settings, spaCy. Nothing else in index/.
"""
