"""PDFium's C functions called without ctypes' per-call argument conversion.

pypdfium2 declares each binding's argument types, so ctypes converts and checks
every argument on every call; for the getters called per character or per path
segment that cost more than PDFium's own work. ``plain`` gives the same C
function with no argument types declared: ctypes then passes a Python int as a
C int and a ctypes object (a ``c_void_p``, a pointer, a ``byref``) as it is, so
callers pass only those (never a bare int for a pointer).
"""

from __future__ import annotations

import ctypes


def plain(function, restype):
    """``function`` (one of pypdfium2's bindings) returning ``restype``, arguments undeclared."""
    return ctypes.cast(function, ctypes.CFUNCTYPE(restype))


def handle(pointer) -> ctypes.c_void_p:
    """A pypdfium2 handle (a ctypes pointer) as a ``c_void_p`` for ``plain`` functions."""
    return ctypes.c_void_p(ctypes.cast(pointer, ctypes.c_void_p).value)
