"""Getting articles in: the Article record, loaders for .txt/.md/.json/.html, HTML extraction,
URL fetching with its guards, and turning command arguments into items to add.

May import: index.text, index.settings, index.answers.
"""
