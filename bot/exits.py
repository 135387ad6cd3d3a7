"""Exit codes of the `coveragebot` command (sysexits-style), shared by the terminal and the runner."""

EXIT_OK = 0
EXIT_FAILED = 1  # refused or failed: a bad file, an unknown id, no network for `run`
EXIT_USAGE = 2  # an empty query, an unknown command
EXIT_NO_PERMISSION = 77  # EX_NOPERM: Discord refused the token or the Message Content intent
EXIT_CONFIG = 78  # EX_CONFIG: a bad setting, an unusable database, no token
