"""The notebook runner lets the kernel finish its exit work.

MLflow sends spans from a background queue and flushes it at exit; a kernel stopped before that
flush ends loses the last cell's spans, and the server then answers "not fully exported yet".
"""

from __future__ import annotations

from pathlib import Path

from kernel import notebook_of, run_notebook

SLOW_EXIT_S = 4  # more than the 2.5 s jupyter_client waits by default before SIGTERM


def test_the_kernels_exit_handlers_run_to_the_end(tmp_path: Path) -> None:
    done = tmp_path / "exit-handler-done"
    nb = notebook_of(
        "import atexit, pathlib, time\n"
        f"atexit.register(lambda: (time.sleep({SLOW_EXIT_S}), pathlib.Path({str(done)!r}).touch()))"
    )
    run_notebook(nb, tmp_path, {})
    assert done.exists(), "the kernel was stopped before its exit handlers finished"
