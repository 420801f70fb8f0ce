"""The `liqmap` command pip puts on PATH: runs the engine's own command line (the executable
shipped in the package, else $LIQMAP_CLI, else another `liqmap` on PATH) with the same
arguments, so `pip install ./python` gives `liqmap compute ...` as the README types it."""
import os
import shutil
import sys
from pathlib import Path

from ._batch import cli_path
from ._errors import LiqmapError, Status


def _executable() -> str:
    """The CLI to run, never this script itself (a console script named liqmap on PATH)."""
    me = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    found = cli_path()
    if me is None or Path(found).resolve() != me:
        return found
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = shutil.which("liqmap", path=folder)
        if candidate and Path(candidate).resolve() != me:
            return candidate
    raise LiqmapError(Status.IO, "the liqmap executable was not found: only this script is on PATH; set "
                                 "LIQMAP_CLI or reinstall the package with pip (it ships one)")


def main() -> None:
    try:
        executable = _executable()
    except LiqmapError as error:
        print(f"liqmap: error: {error}", file=sys.stderr)
        sys.exit(4)
    os.execv(executable, [executable] + sys.argv[1:])


if __name__ == "__main__":
    main()
