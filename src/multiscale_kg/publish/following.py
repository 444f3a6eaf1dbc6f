"""One build at a time: the server follows the build the ``db`` link points to, tables and SPARQL together.

``mskg build`` publishes a new build by replacing the ``db`` link (``build.publish``). Each server process
looks where the link points before every request (one ``readlink``) and once a second; when it has moved,
the process switches in one step, between two requests: Datasette's database becomes the new build's file
(a new ``Database`` object, with its own connections and counts) and SPARQL queries go to workers of the new
build's store. Requests that began on the old build finish on it; when the last has, the old build's SPARQL
workers stop, its connections close, the process gives up its lease on the folder (``leases``) and removes
the folder if no other process reads it. A build folder a server reads is never removed under it.

The database is followed when it is served immutable from a build folder reached through a symbolic link
(the ``db`` link a build makes); an immutable database in a plain folder is served as it is, also as a
``BuildDatabase`` (``immutable``: what a build that never changes lets the server read once).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from datasette.database import Database

from ..build import DB_NAME, is_build_folder
from ..leases import hold, release, remove_unless_held
from . import per_request
from .immutable import BuildDatabase
from .settings import settings
from .sparql_pool import retire

log = logging.getLogger(__name__)

#: how often a server process looks where the ``db`` link points when no request makes it look
POLL_S = 1.0
#: how many times a lease is tried while a build is being published or removed
LEASE_TRIES = 50
#: how many times, and how far apart, a process that let go of an old build tries to remove it
REMOVE_TRIES, REMOVE_PAUSE_S = 5, 0.2


@dataclass(eq=False)
class ServedBuild:
    folder: Path
    database: Database
    lease: int | None
    requests: int = 0
    superseded: bool = False


class Follower:
    """The build a server process serves, switched when the ``db`` link moves."""

    def __init__(self, datasette, name: str, link: Path):
        self.datasette, self.name, self.link = datasette, name, link
        self.target: str | None = None
        self.current: ServedBuild | None = None
        self._poller: asyncio.Task | None = None  # kept: the loop holds its tasks only weakly

    def _lease(self) -> tuple[Path, int | None]:
        """The folder the link points to, with a lease on it; retried while a build moves the link."""
        for _ in range(LEASE_TRIES):
            folder = self.link.resolve()
            lease = hold(folder)
            if lease is not None and self.link.resolve() == folder:
                return folder, lease
            release(lease)
            time.sleep(0.02)
        return self.link.resolve(), None  # no POSIX locks, or a link that keeps moving: serve unleased

    async def follow(self) -> ServedBuild:
        """The build to serve the next request from: the one the link points to now."""
        try:
            target = os.readlink(self.link)
        except OSError:  # the link is being replaced or is gone: keep serving what we serve
            target = self.target
        moved = self.current is None or target != self.target
        if moved and self._switch(target):
            await self._forget_schema()
        return self.current  # type: ignore[return-value]

    def _switch(self, target: str | None) -> bool:
        """Serve the build the link points to; True when that is another build than before."""
        folder, lease = self._lease()
        if self.current is not None and folder == self.current.folder:
            release(lease)
            self.target = target
            return False
        old = self.datasette.databases.get(self.name)
        database = BuildDatabase(self.datasette, folder / DB_NAME)
        self.datasette.remove_database(self.name)
        self.datasette.add_database(database, name=self.name, route=getattr(old, "route", None) or self.name)
        previous, self.current = self.current, ServedBuild(folder, database, lease)
        self.target = target
        log.info("serving the build in %s", folder)
        forget = getattr(self.datasette.permission_allowed, "forget", None)
        if forget is not None:
            forget()
        if previous is None:
            if old is not None:
                old.close()
        else:
            previous.superseded = True
            self._leave_if_done(previous)
        return True

    async def _forget_schema(self) -> None:
        """Datasette re-reads the schema of a database whose schema version it has not seen: two builds may
        share a version number, so the old build's entry goes."""
        internal = self.datasette.databases.get("_internal")
        if internal is not None and self.datasette.internal_db_created:
            await internal.execute_write("DELETE FROM databases WHERE database_name = ?", [self.name])

    def _leave_if_done(self, build: ServedBuild) -> None:
        if build.superseded and build.requests == 0:
            build.superseded = False  # left once
            threading.Thread(target=self._leave, args=(build,), name="mskg-leave-build", daemon=True).start()

    def _leave(self, build: ServedBuild) -> None:
        """Stop reading an old build: its SPARQL workers, its connections, its lease; then remove it unless
        another process reads it (or the link points to it again)."""
        try:
            retire(build.folder)
            build.database.close()
        except Exception:  # the lease goes all the same: the folder must not outlive its readers
            log.exception("could not stop reading %s", build.folder)
        release(build.lease)
        # Each process tries once it has let go; the last to let go removes the folder. Tried a few times:
        # two processes letting go at once can each find the other's lease still there.
        for _ in range(REMOVE_TRIES):
            if not is_build_folder(build.folder, self.link) or self.link.resolve() == build.folder:
                return
            if remove_unless_held(build.folder):
                log.info("removed the old build %s", build.folder)
                return
            time.sleep(REMOVE_PAUSE_S)

    # -- the ASGI side -------------------------------------------------------------------------------------

    def wrap(self, app):
        async def following(scope, receive, send):
            if scope["type"] == "lifespan" and self._poller is None:
                self._poller = asyncio.get_running_loop().create_task(self._poll())
            if scope["type"] not in ("http", "websocket"):
                return await app(scope, receive, send)
            build = await self.follow()
            build.requests += 1
            try:
                return await app(scope, receive, send)
            finally:
                build.requests -= 1
                self._leave_if_done(build)

        return following

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_S)
            try:
                await self.follow()
            except Exception:  # a failed look is tried again at the next request or poll
                log.exception("could not follow %s", self.link)


def follower_for(datasette) -> Follower | None:
    """The follower of the plugin's database when it is served immutable from a build folder; else None."""
    name = settings(datasette)["database"]
    database = datasette.databases.get(name)
    if database is None or not database.path or database.is_mutable:
        return None
    per_request.install(datasette)
    return Follower(datasette, name, Path(os.path.abspath(database.path)).parent)
