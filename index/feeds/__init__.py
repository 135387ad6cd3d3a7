"""Feeds a newsroom follows: the stored feeds (table.py), one poll of a feed with its
conditional GET, lease, backoff and audit (poll.py), and the answers of `!feed` (answer.py).

Drives the service the way `coveragebot import` does (index.archive): it adds the articles
the entries point at through `Service.add_articles`, so the story version rules apply.

May import: index.service, index.ingest, index.storage, index.answers, index.settings, index.text.
"""
