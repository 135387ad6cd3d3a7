"""One cog per command family: query, admin, stats, and the shared error handler."""
