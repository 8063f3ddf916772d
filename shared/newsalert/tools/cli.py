"""The ``newsalert`` command line: one subcommand per module in ``newsalert.tools.commands``."""

from __future__ import annotations

import argparse
import os
import sys

from newsalert.tools.commands import (
    backtest,
    classify,
    evaluate,
    explain,
    feeds,
    parse,
    redrive,
    replay,
    serve,
    simulate,
    status,
    stories,
    subscribers,
)

COMMANDS = (
    simulate,
    serve,
    status,
    feeds,
    subscribers,
    redrive,
    replay,
    parse,
    classify,
    explain,
    evaluate,
    backtest,
    stories,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsalert", description="Breaking-news alerting on AWS.")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except BrokenPipeError:
        # The reader went away (``newsalert status | head``): nothing more to say, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(f"newsalert {args.command}: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
