"""liqmap.batch: many maps in one process, through the CLI's `liqmap batch` (shipped in the
package by pip, else $LIQMAP_CLI or `liqmap` on PATH)."""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from ._errors import LiqmapError, Status

Manifest = Union[str, "os.PathLike[str]", Sequence[Dict[str, Any]], Dict[str, Any]]


def cli_path() -> str:
    """The `liqmap` executable batch runs: $LIQMAP_CLI, the one pip put in the package, or PATH."""
    given = os.environ.get("LIQMAP_CLI")
    if given:
        return given
    bundled = Path(__file__).resolve().parent / "_bin" / "liqmap"
    if bundled.exists():
        return str(bundled)
    found = shutil.which("liqmap")
    if found:
        return found
    raise LiqmapError(Status.IO, "the liqmap executable was not found: install the package with "
                                 "pip (it ships one), put liqmap on PATH or set LIQMAP_CLI")


def batch(manifest: Manifest, jobs: int = 1, threads: int = 0, backend: str = "auto",
          base_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
          timeout: Optional[float] = None) -> List[Dict[str, Any]]:
    """Runs every map of `manifest` (a JSON or CSV file, a list of row dicts, or a dict with
    "maps" and "defaults") with `liqmap batch`; returns one summary dict per row (name, ok,
    error, out, seconds, clusters summary). Failed rows are reported there and do not stop the
    others. Relative paths of rows given in Python are read from `base_dir` (default: the
    current folder)."""
    command = [cli_path(), "batch", "--json", "--quiet", "--jobs", str(jobs), "--threads",
               str(threads), "--backend", backend]
    with tempfile.TemporaryDirectory() as scratch:
        if isinstance(manifest, (str, os.PathLike)):
            path = os.fspath(manifest)
        else:
            document = {"maps": list(manifest)} if not isinstance(manifest, dict) else dict(manifest)
            document.setdefault("base_dir", os.path.abspath(os.fspath(base_dir or os.getcwd())))
            path = os.path.join(scratch, "manifest.json")
            with open(path, "w") as f:
                json.dump(document, f)
        done = subprocess.run(command + [path], capture_output=True, text=True, timeout=timeout)
    try:
        summary = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise LiqmapError(Status.INPUT if done.returncode == 3 else Status.INTERNAL,
                          f"liqmap batch failed (exit {done.returncode}): {done.stderr.strip()}") from None
    if "maps" not in summary:
        raise LiqmapError(Status.INPUT, summary.get("error", {}).get("message", done.stderr.strip()))
    return summary["maps"]
