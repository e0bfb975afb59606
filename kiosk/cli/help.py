"""The handler of a command group typed without its action, such as plain ``kiosk deck``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from kiosk.home import Home


def help_handler(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace, Home], int]:
    """Show the group's help and exit with status 2, as argparse does for a usage error."""

    def show_help(args: argparse.Namespace, home: Home) -> int:
        parser.print_help()
        return 2

    return show_help
