"""A throwaway PostgreSQL cluster for the shared-mode (DuckLake) tests: `initdb` in a temp folder owned by the
`postgres` user, started on a free 127.0.0.1 port, stopped and deleted at the end. Never a system service, never a
fixed port. PostgreSQL refuses to run as root, so under root the commands run as `postgres` (runuser).

`PLANBOARD_REQUIRE_PG=1` (CI) turns "PostgreSQL is not installed" from a skip into a failure."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NO_PG = "PostgreSQL không có trên máy này (PostgreSQL is not installed: apt-get install postgresql)"


def pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl (Debian: /usr/lib/postgresql/<major>/bin), newest major first, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path
    user: str

    @property
    def conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} dbname=postgres user={self.user}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        log = self.folder / "log"
        self._run(
            "pg_ctl", "-D", str(self.folder / "data"), "-l", str(log), "-w", "-t", "60",
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=200",
            "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: "fast" (clients cut off, a checkpoint written) or "immediate" (no checkpoint: for a
        cluster about to be deleted; measured under load: fast 40 s after a session's worth of lakes)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop", check=False)

    def dropdb(self, name: str) -> None:
        """Delete the database `name`, its clients cut off."""
        self.psql("postgres", f"drop database if exists {name} with (force)")

    def createdb(self, name: str, template: str | None = None) -> str:
        """A new database in the cluster (empty, or a copy of the database `template`, which nobody may be connected
        to); returns its libpq conninfo."""
        copy = ["-T", template] if template else []
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, *copy, name)
        return f"host=127.0.0.1 port={self.port} dbname={name} user={self.user}"

    def psql(self, dbname: str, statement: str) -> str:
        """Run one SQL statement in the database `dbname` with psql (stopping at an error); its output."""
        args = ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", dbname]
        return self._run(*args, "-v", "ON_ERROR_STOP=1", "-Atc", statement).stdout


def start_cluster() -> Cluster:
    """initdb a fresh cluster in a temp folder (trust auth, loopback only) and start it on a free port."""
    binary = pg_bin()
    if binary is None:
        raise FileNotFoundError(NO_PG)
    folder = Path(tempfile.mkdtemp(prefix="planboard-pg-"))
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(folder, free_port(), binary, user)
    cluster._run("initdb", "-D", str(folder / "data"), "-U", user, "-A", "trust", "-E", "UTF8", "--no-sync")
    cluster.start()
    return cluster


def remove(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
