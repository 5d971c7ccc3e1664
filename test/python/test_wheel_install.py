"""pip install of the built wheel, as users do it: a fresh virtual environment holding only
JupyterLab at the pinned version (no node, no build, no MLflow), then the wheel.

The wheel is built from this checkout with its prebuilt labextension (scripts/setup.mjs builds
it). Measured figures are printed on the terminal, past pytest's capture.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from jupyter_app import wait_until_serving
from kernel import ROOT, TRACE_MIME
from mlflow_server import free_port, stop_process_group

BUILD_LOCK = Path("/tmp/build.lock")
LABEXTENSION = ROOT / "jupyterlab_mlflow_traces" / "labextension"
BROWSER_SCRIPT = Path(__file__).with_name("trace_tree_in_browser.cjs")
EXAMPLE = ROOT / "contract" / "examples" / "trace" / "embedded-python-sdk.json"
GOLDEN = ROOT / "contract" / "goldens" / "trace" / "embedded-python-sdk.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _pinned(name: str) -> str:
    """`name==version` as requirements.txt pins it."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if re.match(rf"{re.escape(name)}==", line.strip(), re.IGNORECASE):
            return line.strip()
    raise AssertionError(f"{name} is not pinned in requirements.txt")


@dataclass
class FreshInstall:
    venv: Path
    home: Path  # JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR and JUPYTER_RUNTIME_DIR live here
    wheel: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        """The environment of a user of that venv: none of this checkout's paths."""
        ours = str(ROOT / ".venv")
        path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if ours not in p]
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH")
            and not key.startswith("MLFLOW_")
        }
        env.update(
            PATH=os.pathsep.join([str(self.bin), *path]),
            VIRTUAL_ENV=str(self.venv),
            JUPYTER_CONFIG_DIR=str(self.home / "config"),
            JUPYTER_DATA_DIR=str(self.home / "data"),
            JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
            IPYTHONDIR=str(self.home / "ipython"),
        )
        return env

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Runs a command of the venv; stdout and stderr together, colours stripped."""
        done = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            env=self.env(),
            cwd=cwd or self.home,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
        )
        done.stdout = ANSI.sub("", done.stdout)
        return done


def _build_wheel(destination: Path) -> Path:
    # Under the build lock: a labextension half rebuilt by someone else must not be packed.
    with open(BUILD_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (LABEXTENSION / "static" / "style.js").exists():
            pytest.fail("the prebuilt labextension is missing: run `npm run setup` (or build:prod)")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                str(ROOT),
                "--no-deps",
                "--no-build-isolation",
                "--disable-pip-version-check",
                "-q",
                "-w",
                str(destination),
            ],
            check=True,
        )
    (wheel,) = destination.glob("jupyterlab_mlflow_traces-*.whl")
    return wheel


def _installed_bytes(venv: Path) -> tuple[int, int]:
    """(files, bytes) the wheel installed, from its RECORD."""
    (record,) = venv.glob("lib/python*/site-packages/jupyterlab_mlflow_traces-*.dist-info/RECORD")
    sizes = [row.rsplit(",", 1)[-1] for row in record.read_text().splitlines()]
    return len(sizes), sum(int(size) for size in sizes if size.isdigit())


def _tree_bytes(directory: Path) -> int:
    return sum(f.stat().st_size for f in directory.rglob("*") if f.is_file() and not f.is_symlink())


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, pytestconfig) -> Iterator[FreshInstall]:
    work = tmp_path_factory.mktemp("wheel-install")
    wheel = _build_wheel(work / "dist")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = FreshInstall(venv=venv, home=work / "home", wheel=wheel)
    install.home.mkdir()
    started = time.monotonic()
    lab = install.run(
        "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        _pinned("jupyterlab"),
        "-c",
        str(ROOT / "constraints.txt"),
    )
    assert lab.returncode == 0, lab.stdout
    lab_seconds = time.monotonic() - started
    before = _tree_bytes(venv)
    done = install.run(
        "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)
    )
    assert done.returncode == 0, done.stdout
    files, installed = _installed_bytes(venv)
    with pytestconfig.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(
            f"\npip install {wheel.name}: wheel {wheel.stat().st_size / 1024:.0f} kB, "
            f"{files} files, {installed / 1024:.0f} kB installed "
            f"(venv grew {(_tree_bytes(venv) - before) / 1024:.0f} kB with bytecode); "
            f"the venv holding only {_pinned('jupyterlab')} is {before / 2**20:.0f} MB, "
            f"made in {lab_seconds:.0f} s"
        )
    yield install
    shutil.rmtree(work, ignore_errors=True)  # the venv is ~200 MB


def test_the_fresh_venv_holds_jupyterlab_and_the_package_but_no_mlflow(fresh):
    done = fresh.run("python", "-c", "import importlib.util as u; print(u.find_spec('mlflow'))")
    assert done.stdout.strip() == "None"
    done = fresh.run("python", "-m", "pip", "list", "--format=json", "--disable-pip-version-check")
    names = {re.sub(r"[-_.]+", "-", p["name"]).lower() for p in json.loads(done.stdout)}
    assert "jupyterlab" in names and "jupyterlab-mlflow-traces" in names
    assert "mlflow" not in names and "mlflow-skinny" not in names


def test_jupyter_labextension_list_shows_it_enabled(fresh):
    done = fresh.run("jupyter", "labextension", "list")
    assert done.returncode == 0, done.stdout
    assert f"{fresh.venv}/share/jupyter/labextensions" in done.stdout
    assert re.search(
        r"jupyterlab-mlflow-traces v\d+\.\d+\.\d+ enabled\s+OK "
        r"\(python, jupyterlab_mlflow_traces\)",
        done.stdout,
    ), done.stdout


def test_jupyter_server_extension_list_shows_it_enabled(fresh):
    done = fresh.run("jupyter", "server", "extension", "list")
    assert done.returncode == 0, done.stdout
    # The enabling file the wheel installs into the venv's etc/jupyter.
    section = done.stdout.split(f"Config dir: {fresh.venv}/etc/jupyter", 1)[-1]
    assert re.search(r"^\s*jupyterlab_mlflow_traces enabled\s*$", section, re.M), done.stdout
    assert re.search(r"^\s*jupyterlab_mlflow_traces \d+\.\d+\.\d+ OK\s*$", section, re.M), (
        done.stdout
    )


def test_the_package_imports_and_the_ipython_extension_loads_without_mlflow(fresh):
    done = fresh.run(
        "python",
        "-c",
        "import jupyterlab_mlflow_traces as m; print(m.__version__, m.__file__)",
    )
    assert done.returncode == 0, done.stdout
    assert str(fresh.venv) in done.stdout
    script = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "for cell in ['%load_ext jupyterlab_mlflow_traces', 'x = 6 * 7', 'print(x)']:\n"
        "    result = shell.run_cell(cell)\n"
        "    print('cell ok' if result.success else f'cell failed: {result.error_in_exec!r}')\n"
    )
    done = fresh.run("python", "-c", script)
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("cell ok") == 3, done.stdout
    assert "42" in done.stdout
    # One clear line that MLflow is missing, and nothing misleading after it.
    notes = [line for line in done.stdout.splitlines() if "jupyterlab_mlflow_traces:" in line]
    assert len(notes) == 1, done.stdout
    assert "MLflow is not installed" in notes[0]


def _notebook_with_an_embedded_trace(directory: Path) -> Path:
    """One cell whose output is what the IPython extension writes for a trace."""
    golden = json.loads(GOLDEN.read_text())
    output = {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            TRACE_MIME: json.loads(EXAMPLE.read_text()),
            "text/html": golden["text/html"],
            "text/plain": golden["text/plain"],
        },
    }
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 4,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "source": "answer('What does a trace record?')",
                "outputs": [output],
            }
        ],
    }
    path = directory / "embedded-trace.ipynb"
    path.write_text(json.dumps(notebook))
    return path


@contextmanager
def _jupyter_lab(install: FreshInstall, root_dir: Path) -> Iterator[tuple[str, str]]:
    """`jupyter lab` of the fresh venv; yields (base URL, token)."""
    port = free_port()
    token = secrets.token_hex(16)
    log = install.home / "jupyter-lab.log"
    args = [
        str(install.bin / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--allow-root",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            args,
            env=install.env(),
            cwd=root_dir,
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(url, token, process, log, timeout_s=90)
        yield url, token
    finally:
        stop_process_group(process)


def test_jupyterlab_of_that_venv_renders_an_embedded_trace_as_a_tree(fresh):
    notebooks = fresh.home / "notebooks"
    notebooks.mkdir()
    notebook = _notebook_with_an_embedded_trace(notebooks)
    spans = json.loads(EXAMPLE.read_text())["traces"][0]["spans"]
    root = next(span["name"] for span in spans if not span.get("parent_span_id"))
    with _jupyter_lab(fresh, notebooks) as (url, token):
        done = subprocess.run(
            ["node", str(BROWSER_SCRIPT), f"{url}lab/tree/{notebook.name}?token={token}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    seen = json.loads(done.stdout)
    assert seen["rows"], seen
    assert any(root in row for row in seen["rows"]), seen
