"""The Discord side: create_bot and the runner, one cog per command family, button views, and
renderers that turn answers into embeds.

May import: discord.py, index.commands, index.service, index.workspaces, index.answers, index.settings,
index.ingest.items.
"""
