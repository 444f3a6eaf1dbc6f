"""Leases on build folders: a build folder that a server reads is never removed under it.

A reader (``mskg serve``, each of its processes) holds a shared lock on the build folder it serves; whoever
removes an old build folder (``build.publish``, a later build's clean-up, the server that stopped serving
it) first takes the exclusive lock without waiting, and leaves the folder when someone holds a lease. The
locks are ``flock`` locks on the folder itself: the kernel releases them when their holder exits, killed
or not, so a dead server never keeps a folder alive. Without POSIX locks (Windows) there are no leases and
an old folder is removed as before.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

try:
    import fcntl
except ModuleNotFoundError:  # Windows: no leases
    fcntl = None  # type: ignore[assignment]


def _open(folder: Path) -> int | None:
    """A descriptor of the folder itself (what the locks are taken on), or None when it cannot be opened."""
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def _lock(descriptor: int, mode: int) -> bool:
    """Take ``mode`` on ``descriptor`` without waiting; False when another holder's lock excludes it."""
    try:
        fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def hold(folder: Path) -> int | None:
    """A lease on ``folder`` (an open descriptor; ``release`` it), or None when the folder is gone or is
    being removed."""
    if fcntl is None:
        return None
    descriptor = _open(folder)
    if descriptor is None or _lock(descriptor, fcntl.LOCK_SH):
        return descriptor
    os.close(descriptor)
    return None


def release(lease: int | None) -> None:
    if lease is not None:
        os.close(lease)  # closing the descriptor releases its lock


def remove_unless_held(folder: Path) -> bool:
    """Remove ``folder`` unless someone holds a lease on it; True when it was removed (or was gone).

    The exclusive lock is held while the folder is removed, so no reader takes a lease on a half-removed
    folder (a reader that finds the lock taken looks again where the ``db`` link points)."""
    if fcntl is None:
        shutil.rmtree(folder, ignore_errors=True)
        return True
    descriptor = _open(folder)
    if descriptor is None:
        return not Path(folder).exists()
    try:
        if not _lock(descriptor, fcntl.LOCK_EX):
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return not Path(folder).exists()
    finally:
        os.close(descriptor)


def is_held(folder: Path) -> bool:
    """Does someone hold a lease on ``folder``? (A moment's answer: a lease may be taken right after.)"""
    if fcntl is None:
        return False
    descriptor = _open(folder)
    if descriptor is None:
        return False
    try:
        return not _lock(descriptor, fcntl.LOCK_EX)
    finally:
        os.close(descriptor)
