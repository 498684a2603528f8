"""Small measuring tools shared by the benchmark scripts (not a test; nothing here asserts)."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Asgi = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class Measure:
    """Latencies of one series, in seconds."""

    name: str
    latencies: list[float]
    wall: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def line(self) -> str:
        p50, p99 = self.percentile(50) * 1e3, self.percentile(99) * 1e3
        mean = statistics.mean(self.latencies) * 1e3
        return (
            f"{self.name:<38} {self.throughput:8.0f} req/s   p50 {p50:6.2f} ms"
            f"   p99 {p99:6.2f} ms   mean {mean:6.2f} ms"
        )


async def asgi_get(app: Asgi, path: str, query: str = "", headers: dict[str, str] | None = None
                   ) -> tuple[int, bytes]:
    """One GET through the ASGI app, in process, with no network and no client library."""
    raw_headers = [(b"host", b"localhost")] + [
        (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()
    ]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "root_path": "", "headers": raw_headers, "server": ("localhost", 80),
        "client": ("127.0.0.1", 50000),
    }
    status = 0
    body = bytearray()

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


def run_series(name: str, call: Callable[[], Awaitable[tuple[int, bytes]]], count: int) -> Measure:
    """Call `count` times in sequence (after a warm-up) and time each call."""

    async def go() -> Measure:
        for _ in range(min(50, count)):
            status, _ = await call()
            if status != 200:
                raise RuntimeError(f"{name}: status {status} during warm-up")
        latencies = []
        start = time.perf_counter()
        for _ in range(count):
            t0 = time.perf_counter()
            status, _ = await call()
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                raise RuntimeError(f"{name}: status {status}")
        return Measure(name, latencies, time.perf_counter() - start)

    return asyncio.run(go())
