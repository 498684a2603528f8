"""Noticing that uvicorn is stopping, so open event streams end and the server can exit.

uvicorn stops in this order: stop accepting, wait for every open connection to finish, then run
the lifespan shutdown. It tells a response in progress nothing, so an endless stream would keep
it waiting forever. sse-starlette ends its streams when uvicorn gets SIGINT/SIGTERM in the main
thread (it wraps uvicorn's signal handler), but a server run in a thread (embedded launcher,
tests) is stopped by setting `Server.should_exit`, with no signal at all. This module finds the
`uvicorn.Server` that is serving the current event loop, so a stream can watch that flag too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from uvicorn import Server

_MAX_DEPTH = 8
"""How far down a task's chain of awaited coroutines `Server.serve` is looked for."""


def _server_of(task: asyncio.Task) -> Server | None:
    coroutine = task.get_coro()
    for _ in range(_MAX_DEPTH):
        frame = getattr(coroutine, "cr_frame", None)
        if frame is None:
            return None
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, Server):
            return candidate
        coroutine = getattr(coroutine, "cr_await", None)
    return None


def server_stopping() -> Callable[[], bool]:
    """A check that turns true once the uvicorn server running this loop is asked to stop
    (always false when the app is not served by uvicorn, e.g. in-process tests)."""
    for task in asyncio.all_tasks():
        server = _server_of(task)
        if server is not None:
            return lambda: bool(server.should_exit)
    return lambda: False
