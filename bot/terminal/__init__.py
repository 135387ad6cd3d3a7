"""The terminal side: `coveragebot ask/console/add/run/stats/eval` and the text/JSON renderers.

May import: index.commands, index.service, index.answers, index.settings, index.ingest.items,
index.evaluation (for `eval`), bot.chat.runner (for `run`); tqdm (progress bars, bot.terminal.progress).
"""
