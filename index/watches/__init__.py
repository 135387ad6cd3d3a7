"""Watches: a channel asks to hear when new coverage quotes a person or prints a phrase.

table.py stores watches and the alerts already claimed; match.py finds, in articles added
since a watch last looked, the statements or passages it asks for (by any route: `!add`, a
feed, `coveragebot add` or `import`, since it reads the store); manage.py runs `!watch` and
`!unwatch`; answer.py is `!watch list`. Posting is the bot's (bot/chat/cogs/watches.py).

May import: index.quotes, index.search, index.storage, index.text, index.answers, index.settings.
"""
