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


def hold(folder: Path) -> int | None:
    """A lease on ``folder`` (an open descriptor; ``release`` it), or None when the folder is gone or is
    being removed."""
    if fcntl is None:
        return None
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


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
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return True
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return not Path(folder).exists()
    finally:
        os.close(descriptor)


def is_held(folder: Path) -> bool:
    """Does someone hold a lease on ``folder``? (A moment's answer: a lease may be taken right after.)"""
    if fcntl is None:
        return False
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return False
