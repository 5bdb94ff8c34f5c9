"""Atomic outputs: all or nothing, and ordinary file permissions (not mkstemp's 0600)."""

from __future__ import annotations

import stat

import pytest

from survey.atomic import atomic_path, atomic_write


def test_outputs_get_the_permissions_of_the_process_umask_not_0600(tmp_path):
    from survey import atomic as folder

    with atomic_write(tmp_path / "a.txt") as stream:
        stream.write("x")
    with atomic_path(tmp_path / "b.bin") as temp:
        temp.write_bytes(b"y")
    (tmp_path / "plain.txt").write_text("z")  # what any other program writes here
    expected = stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    assert expected == 0o666 & ~folder._UMASK
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == expected
    assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == expected


def test_a_failed_write_leaves_the_earlier_file_and_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("alt", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as stream:
            stream.write("neu")
            raise RuntimeError("abgebrochen")
    assert target.read_text(encoding="utf-8") == "alt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
