"""``groundnet config show``: the effective configuration and where each value came from."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..config import config_path, load_config
from ..output import OutputFormat, emit


def register(app: typer.Typer) -> None:
    config_app = typer.Typer(help="The configuration file groundnet.toml (see docs/configuration.md).",
                             no_args_is_help=True)
    app.add_typer(config_app, name="config")

    @config_app.command("show")
    def show(
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of the terminal."),
    ) -> None:
        """Print every setting's effective value and where it came from: the environment, the file, or the default.

        The file is the one given with `groundnet --config FILE`, else `GROUNDNET_CONFIG`, else
        `groundnet.toml` in `$XDG_CONFIG_HOME/groundnet` (`~/.config/groundnet`). Secrets (the agent
        token, the Space-Track password) are shown as `********`.
        """
        cfg = load_config()
        file, _ = config_path()
        title = f"configuration from {cfg.path}" if cfg.path else f"no configuration file ({file} does not exist): defaults"
        emit(cfg.rows(), fmt, columns=["key", "value", "origin", "env"], output=output, title=title)
