"""Every user file is read bounded: devices, FIFOs and oversized files are refused at once."""

from __future__ import annotations

import os
import threading

import pytest

from groundnet import files
from groundnet.errors import InputFileError


def test_a_character_device_is_refused_without_reading_it():
    with pytest.raises(InputFileError, match="character device, not a regular file"):
        files.read_text("/dev/zero", what="catalog")


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result: list[Exception] = []

    def read():
        try:
            files.read_bytes(fifo, limit_bytes=10, what="catalog")
        except InputFileError as exc:
            result.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "FIFO" in str(result[0]) and str(fifo) in str(result[0])


def test_a_directory_and_a_missing_file_are_named(tmp_path):
    with pytest.raises(InputFileError, match="is a directory"):
        files.read_text(tmp_path)
    with pytest.raises(InputFileError, match="file not found"):
        files.read_text(tmp_path / "nothing.toml", what="station file")


def test_a_file_over_its_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 101)
    with pytest.raises(InputFileError, match="101 bytes, over the 100 byte limit"):
        files.read_bytes(big, limit_bytes=100)
    assert files.read_bytes(big, limit_bytes=101) == b"#" * 101


def test_bad_text_names_the_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"a = 1\nb = '\xff'\n")
    with pytest.raises(InputFileError) as info:
        files.read_text(bad)
    assert info.value.line == 2


@pytest.mark.parametrize("command", [["stations", "--station-file", "/dev/zero"], ["schedule", "plan", "/dev/zero"]])
def test_commands_refuse_a_device(command, capsys):
    from groundnet.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(command)
    assert exit_info.value.code == 2
    assert "character device" in capsys.readouterr().err
