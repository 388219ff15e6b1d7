"""A bounded HTTP load generator for loopback servers: `wrk` when installed (Debian package wrk), else
an asyncio + httpx client. Closed loop: ``connections`` keep-alive clients each send the next request
as soon as the previous answer is read, cycling over ``paths``, for ``seconds`` (bounded in time;
wrk's own timeout per request is 5 s). Latency is from request sent to response read.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

LUA = """
local paths = {%(paths)s}
local i = 0
%(headers)s
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%.3f, \\"p50_ms\\": %%.3f, \\"p95_ms\\": %%.3f, " ..
    "\\"p99_ms\\": %%.3f, \\"max_ms\\": %%.3f, \\"errors\\": %%d, \\"error_detail\\": " ..
    "{\\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, \\"timeout\\": %%d}}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for URL paths and tokens


def run_wrk(base: str, paths: list[str], headers: dict[str, str], seconds: float,
            connections: int = 20) -> dict:
    """One wrk run (1 thread, ``connections`` connections); non-2xx/3xx answers count as errors."""
    script = LUA % {"paths": ", ".join(_lua_string(p) for p in paths),
                    "headers": "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}"
                                         for k, v in headers.items())}
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "load.lua"
        lua.write_text(script)
        proc = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(int(seconds), 1)}s", "--timeout", "5s",
                               "-s", str(lua), base], check=False, capture_output=True, text=True,
                              timeout=seconds + 60)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {proc.stderr[-500:]} {proc.stdout[-500:]}")
    result = json.loads(line[len("RESULT "):])
    result["req_per_s"] = result["requests"] / result["seconds"]
    result["tool"] = "wrk 1 thread"
    return result


async def _httpx_run(base: str, paths: list[str], headers: dict[str, str], seconds: float,
                     connections: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(10**9))
    stop = time.perf_counter() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=5) as http:
            while time.perf_counter() < stop:
                path = paths[next(counter) % len(paths)]
                t = time.perf_counter()
                try:
                    response = await http.get(path)
                    await response.aread()
                except httpx.HTTPError as exc:
                    errors.append(f"{path}: {type(exc).__name__}")
                    continue
                latencies.append((time.perf_counter() - t) * 1000)
                if response.status_code >= 400:
                    errors.append(f"{path}: {response.status_code}")

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return {"requests": len(latencies), "seconds": elapsed, "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98],
            "max_ms": max(latencies, default=float("nan")), "errors": len(errors), "error_detail": errors[:20],
            "req_per_s": len(latencies) / elapsed, "tool": "httpx asyncio"}


def run_load(base: str, paths: list[str], headers: dict[str, str], seconds: float, connections: int = 20,
             tool: str = "auto") -> dict:
    """``connections`` concurrent clients on ``paths`` for ``seconds``: requests, errors, p50/p95/p99/max ms."""
    if tool == "wrk" or (tool == "auto" and shutil.which("wrk")):
        return run_wrk(base, paths, headers, seconds, connections)
    return asyncio.run(_httpx_run(base, paths, headers, seconds, connections))


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    total = 0.0
    for p in [pid, *_descendants(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def worker_rss_mb(pid: int) -> list[float]:
    """Resident memory (MB) of each descendant process (uvicorn's workers) of ``pid``."""
    return [rss_mb_single(p) for p in _descendants(pid)]


def rss_mb_single(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in map(int, children):
        out.append(child)
        out.extend(_descendants(child))
    return out
