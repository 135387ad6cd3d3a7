"""One cog per command family: query, admin, stats, and the shared error handler.

May import: bot.chat (renderers, views), index.commands and its answer types.
"""
