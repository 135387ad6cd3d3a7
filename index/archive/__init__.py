"""Archive import: a dump of articles streamed into the store, parsed in worker processes.

`importer` reads a JSONL dump in batches and skips what is stored; `queue` shares the
batches among workers on several machines through a PostgreSQL job table. Above the
service: imports index.service, index.analysis and the layers below.
"""
