"""Bounded reading of the files users give: regular files only, up to a stated size.

Every reader of a user file goes through here, so that a device (`/dev/zero`), a FIFO or a
socket is refused at once with a clear message instead of hanging or growing without bound,
and a file larger than its reader's limit is refused before it is read.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from groundnet.errors import InputFileError

MIB = 1024 * 1024

# Limits per kind of file, in bytes: far above any real file of the kind, far below the memory
# a runaway read could take.
CATALOG_LIMIT_BYTES = 2048 * MIB  # the whole public catalog as 3LE is ~6 MB; OMM XML ~60 MB
CCSDS_LIMIT_BYTES = 512 * MIB  # a year of 1 s OEM states is ~200 MB
CONFIG_LIMIT_BYTES = 16 * MIB  # TOML/JSON/CSV settings, station, request and scenario files
DATA_LIMIT_BYTES = 256 * MIB  # tables such as SatNet weeks, injection files, tracking logs

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def check_regular_file(
    path: str | os.PathLike, *, limit_bytes: int, what: str = "file", error: type[InputFileError] = InputFileError
) -> int:
    """The size of ``path`` in bytes, after checking it is a regular file within ``limit_bytes``.

    Raises ``error`` (an :class:`InputFileError`) naming the file and saying what to give instead.
    """
    label = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(label, f"file not found; give the path of a {what}") from None
    except OSError as exc:
        raise error(label, f"cannot read the file: {exc.strerror or exc}") from None
    for test, kind in _KINDS:
        if test(st.st_mode):
            raise error(label, f"is {kind}, not a regular file; give the path of a {what}")
    if st.st_size > limit_bytes:
        raise error(
            label,
            f"is {st.st_size:,} bytes, over the {limit_bytes:,} byte limit for a {what}; split it or check it is the right file",
        )
    return st.st_size


def open_bounded(
    path: str | os.PathLike, *, limit_bytes: int, what: str = "file", error: type[InputFileError] = InputFileError
) -> BinaryIO:
    """Open a regular file for binary reading after :func:`check_regular_file`."""
    check_regular_file(path, limit_bytes=limit_bytes, what=what, error=error)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, opening must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        return os.fdopen(fd, "rb")
    except OSError as exc:
        raise error(str(path), f"cannot read the file: {exc.strerror or exc}") from None


def read_bytes(
    path: str | os.PathLike, *, limit_bytes: int, what: str = "file", error: type[InputFileError] = InputFileError
) -> bytes:
    """The whole content of a regular file of at most ``limit_bytes`` (checked again while reading)."""
    with open_bounded(path, limit_bytes=limit_bytes, what=what, error=error) as f:
        data = f.read(limit_bytes + 1)
    if len(data) > limit_bytes:  # the file grew after the check
        raise error(str(path), f"grew past the {limit_bytes:,} byte limit for a {what} while it was read")
    return data


def read_text(
    path: str | os.PathLike,
    *,
    limit_bytes: int = CONFIG_LIMIT_BYTES,
    what: str = "file",
    error: type[InputFileError] = InputFileError,
    encoding: str = "utf-8",
) -> str:
    """A regular text file of at most ``limit_bytes``, decoded; a decoding error names the line."""
    data = read_bytes(path, limit_bytes=limit_bytes, what=what, error=error)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(str(path), f"not {encoding.upper()} text; give a {what}", line=line) from None


__all__ = [
    "CATALOG_LIMIT_BYTES",
    "CCSDS_LIMIT_BYTES",
    "CONFIG_LIMIT_BYTES",
    "DATA_LIMIT_BYTES",
    "check_regular_file",
    "open_bounded",
    "read_bytes",
    "read_text",
]
