"""The loaded library, its statuses and the exception raised for them."""
import ctypes
import enum
from typing import Any, Callable, List, Type

import numpy as np

from . import _native

lib = _native.load()


class Status(enum.IntEnum):
    """liqmap_status of liqmap.h."""
    OK = 0
    INVALID_ARGUMENT = 1
    CONFIG = 2
    INPUT = 3
    IO = 4
    OUT_OF_MEMORY = 5
    DEVICE = 6
    CANCELLED = 7
    INTERNAL = 8
    BUFFER_TOO_SMALL = 9
    INVALID_HANDLE = 10
    NO_MARKET = 11
    NO_RESULT = 12


class LiqmapError(Exception):
    """A failed call: `status` (a Status) and `message` (the engine's words)."""

    def __init__(self, status: int, message: str) -> None:
        self.status = Status(status)
        self.message = message
        super().__init__(f"{message} [{self.status.name.lower()}]")

    def __reduce__(self):  # picklable, so Dask can ship it back from a worker
        return (LiqmapError, (int(self.status), self.message))


def check(status: int) -> None:
    """Raises LiqmapError with the library's last message unless `status` is OK."""
    if status != Status.OK:
        raise LiqmapError(status, lib.liqmap_last_error().decode("utf-8", "replace"))


def fetch(function: Callable[..., int], dtype: Any, *args: Any) -> np.ndarray:
    """Calls a query-size getter twice (size, then data) and returns a NumPy array."""
    count = ctypes.c_size_t(0)
    check(function(*args, None, 0, ctypes.byref(count)))
    out = np.empty(count.value, dtype=dtype)
    pointer = out.ctypes.data_as(ctypes.POINTER(np.ctypeslib.as_ctypes_type(dtype)))
    check(function(*args, pointer, out.size, ctypes.byref(count)))
    return out


def fetch_bytes(function: Callable[..., int], *args: Any) -> bytes:
    """A query-size getter of text or bytes (with its terminating NUL, which is dropped)."""
    count = ctypes.c_size_t(0)
    check(function(*args, None, 0, ctypes.byref(count)))
    buffer = ctypes.create_string_buffer(count.value)
    check(function(*args, buffer, count.value, ctypes.byref(count)))
    return buffer.raw[:count.value - 1]


def fetch_text(function: Callable[..., int], *args: Any) -> str:
    return fetch_bytes(function, *args).decode()


def fetch_structs(function: Callable[..., int], struct: Type[ctypes.Structure],
                  *args: Any) -> List[ctypes.Structure]:
    count = ctypes.c_size_t(0)
    check(function(*args, None, 0, ctypes.byref(count)))
    array = (struct * count.value)()
    check(function(*args, array, count.value, ctypes.byref(count)))
    return list(array)


def versioned(struct: Type[ctypes.Structure]) -> Any:
    value = struct()
    value.size = ctypes.sizeof(struct)
    return value
