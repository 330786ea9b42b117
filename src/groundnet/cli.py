"""The ``groundnet`` command: a thin shell over the library.

Each module in ``groundnet/commands/`` defines ``register(app)`` and adds its own commands, so a
new command is one new file. Errors raised on purpose (``GroundnetError``), usage errors (a bad
option value, an unknown option) and files the system refuses print one line and exit with status 2.
"""

from __future__ import annotations

import errno
import importlib
import pkgutil
import sys

from pathlib import Path
from typing import Optional

import typer

from . import commands
from .config import load_config, set_cli_path
from .errors import GroundnetError
from .output import set_display

try:  # recent typer raises the exceptions of its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # older typer uses click itself
    from click import exceptions as click_exceptions

app = typer.Typer(
    name="groundnet",
    help="Run a network of ground-station antennas: stations, catalogs, passes, schedules and a live board.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help paragraphs are rewrapped to the terminal's width (the docstrings' own line breaks are
    # not kept), and `code` shows as code.
    rich_markup_mode="markdown",
)



@app.callback()
def _root(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(
        None, "--config", metavar="FILE", envvar="GROUNDNET_CONFIG", show_envvar=False,
        help="Configuration file (default: GROUNDNET_CONFIG, else ~/.config/groundnet/groundnet.toml).",
    ),
) -> None:
    """Run a network of ground-station antennas: stations, catalogs, passes, schedules and a live board."""
    set_cli_path(config)
    set_display()
    if ctx.invoked_subcommand != "config":  # `config show` reports a bad file itself
        cfg = load_config()
        ctx.default_map = _configured_defaults(ctx.command, cfg)
        set_display(cfg.get("display.units"), cfg.get("display.time_zone"))


def _configured_defaults(group, cfg) -> dict:
    """Option defaults from groundnet.toml for every command: `stations.file` for --station-file, and
    `stations.default` for --stations (all of them) and --station (the first). Options given win."""
    values = {}
    if cfg.station_file is not None:
        values["station_file"] = str(cfg.station_file)
    if cfg.default_stations:
        values["stations"] = ",".join(cfg.default_stations)
        values["station"] = cfg.default_stations[0]
    tree = {}
    for name, cmd in getattr(group, "commands", {}).items():
        # A group's own options (`groundnet stations --station-file`) and its commands' share its map.
        own = {p.name: values[p.name] for p in cmd.params if p.name in values and not getattr(p, "multiple", False)}
        if hasattr(cmd, "commands"):
            own.update(_configured_defaults(cmd, cfg))
        if own:
            tree[name] = own
    return tree


for _mod in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
    importlib.import_module(f"{commands.__name__}.{_mod}").register(app)


def _usage_line(exc: click_exceptions.UsageError) -> str:
    """Click's usage error as one line that names the command whose --help explains it."""
    message = " ".join(exc.format_message().split()).replace("Value error, ", "")
    command = exc.ctx.command_path if exc.ctx is not None else "groundnet"
    return f"error: {message} (see `{command} --help`)"


def _file_line(exc: OSError) -> str:
    """A file the system refused (missing, a directory, no permission) as one line saying what to give."""
    what = {
        errno.ENOENT: "no such file or directory",
        errno.EISDIR: "is a directory; give a file",
        errno.ENOTDIR: "a part of the path is not a directory",
        errno.EACCES: "permission denied",
    }.get(exc.errno, exc.strerror or str(exc))
    return f"error: {exc.filename}: {what}" if exc.filename else f"error: {what}"


def main(argv: list[str] | None = None) -> None:
    """Run the command line; every expected failure ends in one line on standard error and exit status 2."""
    try:
        status = app(args=argv, prog_name="groundnet", standalone_mode=False)
    except GroundnetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except click_exceptions.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help has been printed
            raise SystemExit(2) from None
        print(_usage_line(exc), file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except click_exceptions.ClickException as exc:
        print(f"error: {exc.format_message()}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        print("aborted", file=sys.stderr)
        raise SystemExit(1) from None
    except OSError as exc:
        if exc.filename is None:
            raise
        print(_file_line(exc), file=sys.stderr)
        raise SystemExit(2) from None
    raise SystemExit(status if isinstance(status, int) else 0)
