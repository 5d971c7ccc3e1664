"""A real PostgreSQL server (Debian's ``postgresql``, installed by scripts/setup.mjs) for the
tests and the bench: its data in a directory of its own, listening on a free port of
127.0.0.1 (its unix socket in that directory too), stopped on exit.

As root, the server runs as the ``postgres`` user the Debian package made (PostgreSQL refuses
to run as root), so the data directory is that user's.

    python test/python/postgres.py serve [DATA_DIR]

starts one for another language (bench/summary.mjs): it prints ``{"uri": ...}`` on a line,
and stops the server when its standard input closes or it gets SIGTERM. Without DATA_DIR the
data goes to a temp dir, removed on exit; a DATA_DIR is kept (the bench's cache).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "mlflow"
DATABASE = "mlflow"


def bin_dir() -> Path:
    """The newest PostgreSQL of Debian's /usr/lib/postgresql/N/bin, else pg_ctl on PATH."""
    versions = [Path(p).parent.parent.name for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")]
    found = sorted((int(v), v) for v in versions if v.isdigit())
    if found:
        return Path("/usr/lib/postgresql") / found[-1][1] / "bin"
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError(
        "PostgreSQL not found (no /usr/lib/postgresql/*/bin/pg_ctl, no pg_ctl on PATH): "
        "run `node scripts/setup.mjs`, which installs Debian's postgresql"
    )


def _as_owner(args: list[str]) -> list[str]:
    """PostgreSQL will not run as root: as root, run it as the `postgres` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], what: str) -> None:
    answer = subprocess.run(_as_owner(args), capture_output=True, text=True, timeout=120)
    if answer.returncode != 0:
        raise RuntimeError(f"{what} failed ({answer.returncode}): {answer.stderr[-2000:]}")


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


@contextmanager
def postgres(directory: Path | None = None) -> Iterator[str]:
    """Yields the SQLAlchemy URI of database ``mlflow`` on a fresh server. Data goes to
    ``directory/data`` (kept, and reused when already there) or to a temp dir (removed)."""
    keep = directory is not None
    root = Path(directory).resolve() if keep else Path(tempfile.mkdtemp(prefix="mlflow-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    _own(root)
    data, log = root / "data", root / "postgres.log"
    tools = bin_dir()
    fresh = not (data / "PG_VERSION").exists()
    if fresh:
        _run(
            [str(tools / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
             "-E", "UTF8", "--no-locale", "--no-sync"],
            "initdb",
        )  # fmt: skip
    port = _free_port()
    # -F: no fsync (test data); the socket sits in the data's own folder, not /var/run.
    options = f"-h 127.0.0.1 -p {port} -k {root} -F"
    try:
        _run(
            [str(tools / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
             "-t", "60", "start"],
            f"pg_ctl start (log: {log})",
        )  # fmt: skip
        if fresh:
            _run(
                [str(tools / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER,
                 DATABASE],
                "createdb",
            )  # fmt: skip
        yield f"postgresql://{USER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        subprocess.run(
            _as_owner([str(tools / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True, timeout=120,
        )  # fmt: skip
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def _serve(directory: Path | None) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with postgres(directory) as uri:
        print(json.dumps({"uri": uri}), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "serve":
        sys.exit("usage: postgres.py serve [DATA_DIR]")
    _serve(Path(sys.argv[2]) if len(sys.argv) > 2 else None)
