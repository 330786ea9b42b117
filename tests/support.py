"""Helpers the tests of several directories share (on the path through pytest's ``pythonpath``)."""

from __future__ import annotations

import socket
import time


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0, every: float = 0.05):
    """Poll ``predicate`` until it returns something true (returned), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout} s")


def example_argv(line: str, shared_data, root) -> list[str]:
    """A documented `groundnet ...` line as the arguments after `groundnet`, with `../shared/data`,
    `examples/` and `tests/data/` (relative to the repository, as the docs write them) made absolute."""
    import shlex

    return [a.replace("../shared/data", str(shared_data)).replace("examples/", f"{root}/examples/")
            .replace("tests/data/", f"{root}/tests/data/") for a in shlex.split(line)[1:]]


def run_cli(argv: list[str]) -> int:
    """Run `groundnet ARGV` in this process, as from a shell; its exit status."""
    from groundnet.cli import main

    try:
        main(argv)
    except SystemExit as exc:
        return exc.code or 0
    return 0
