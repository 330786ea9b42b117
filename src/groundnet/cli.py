"""The ``groundnet`` command: a thin shell over the library.

Each module in ``groundnet/commands/`` defines ``register(app)`` and adds its own commands, so a
new command is one new file. Errors raised on purpose (``GroundnetError``) print one line and
exit with status 2.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from . import commands
from .errors import GroundnetError

app = typer.Typer(
    name="groundnet",
    help="Run a network of ground-station antennas: stations, catalogs, passes, schedules and a live board.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _mod in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
    importlib.import_module(f"{commands.__name__}.{_mod}").register(app)


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="groundnet", standalone_mode=True)
    except GroundnetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
