"""Subcommands of ``mskg`` beyond the core ones in ``cli.py``; each module registers its own
(``register(commands)``), and ``cli.py`` assembles them."""
