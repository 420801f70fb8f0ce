"""Builds the C library (and the CLI, for liqmap.batch) with CMake and ships them in the package.

LIQMAP_LIBRARY=/path/libliqmap.so.0 (and LIQMAP_CLI=/path/liqmap) take already-built files
instead; LIQMAP_CMAKE_ARGS adds configure options (e.g. -DLIQMAP_CUDA=OFF)."""
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# The repository's root, with CMakeLists.txt (LIQMAP_SOURCE_DIR when this folder was copied).
SOURCE = Path(os.environ.get("LIQMAP_SOURCE_DIR", HERE.parent)).resolve()


def project_version():
    text = (SOURCE / "CMakeLists.txt").read_text()
    return re.search(r"project\(liqmap VERSION ([0-9.]+)", text).group(1)


def cmake_build(work):
    """Configures and builds the shared library and the CLI in `work`; returns their paths."""
    configure = ["cmake", "-S", str(SOURCE), "-B", str(work), "-DCMAKE_BUILD_TYPE=Release",
                 "-DLIQMAP_BUILD_TESTS=OFF", "-DLIQMAP_BUILD_BENCH=OFF"]
    if shutil.which("ninja"):
        configure += ["-G", "Ninja"]
    if shutil.which("ccache"):
        configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
    configure += shlex.split(os.environ.get("LIQMAP_CMAKE_ARGS", ""))
    subprocess.check_call(configure)
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
    subprocess.check_call(["cmake", "--build", str(work), "-j", jobs,
                           "--target", "liqmap_shared", "liqmap_cli"])
    return next(work.glob("libliqmap.so.[0-9]")), work / "liqmap"


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        package = Path(self.build_lib) / "liqmap"
        given_library = os.environ.get("LIQMAP_LIBRARY")
        if given_library:
            library = Path(given_library).resolve()  # the real file, not a symlink
            cli = Path(os.environ["LIQMAP_CLI"]) if os.environ.get("LIQMAP_CLI") else None
        else:
            library, cli = cmake_build(Path(self.build_temp if hasattr(self, "build_temp")
                                            else "build").resolve() / "cmake")
        if not library.exists():
            raise SystemExit(f"liqmap: {library} does not exist")
        soname = re.match(r"(libliqmap\.so\.\d+)", library.name)
        shutil.copyfile(library, package / (soname.group(1) if soname else "libliqmap.so.0"))
        if cli is not None and cli.exists():
            (package / "_bin").mkdir(exist_ok=True)
            shutil.copy2(cli, package / "_bin" / "liqmap")


class BinaryDistribution(Distribution):
    def has_ext_modules(self):  # a platform wheel: it carries libliqmap.so
        return True


setup(version=project_version(), cmdclass={"build_py": BuildWithLibrary},
      distclass=BinaryDistribution)
