"""The ``newsalert`` subcommands, one module each.

Each module has ``register(subcommands)``, which adds its parser and sets ``run`` (a function
of the parsed arguments returning the exit status) as the parser's default.
"""
