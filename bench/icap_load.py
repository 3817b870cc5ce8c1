#!/usr/bin/env python3
"""ICAP REQMOD load generator for benchmarks (docs/benchmarks.md).

Keeps CONCURRENCY keep-alive connections busy with Squid-shaped REQMOD requests (GET, null-body,
Preview: 0, Allow: 204) for DURATION seconds; prints requests/s and latency percentiles.
Usage: icap_load.py HOST PORT [SERVICE] [CONCURRENCY] [DURATION]
"""
import asyncio
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
SERVICE = sys.argv[3] if len(sys.argv) > 3 else "reqmod"
CONCURRENCY = int(sys.argv[4]) if len(sys.argv) > 4 else 4
DURATION = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0

HTTP = (b"GET http://origin.test:18080/hello?x=1 HTTP/1.1\r\nUser-Agent: curl/7.88.1\r\n"
        b"Accept: */*\r\nHost: origin.test:18080\r\n\r\n")
REQ = (f"REQMOD icap://{HOST}:{PORT}/{SERVICE} ICAP/1.0\r\nHost: {HOST}:{PORT}\r\n"
       f"Encapsulated: req-hdr=0, null-body={len(HTTP)}\r\nPreview: 0\r\nAllow: 204, trailers\r\n"
       f"X-Client-IP: 10.1.2.3\r\n\r\n").encode() + HTTP


async def worker(deadline, latencies, reconnects):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        writer.write(REQ)
        await writer.drain()
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            # servers may close keep-alive connections after N requests (c-icap: MaxKeepAliveRequests)
            writer.close()
            reconnects.append(1)
            reader, writer = await asyncio.open_connection(HOST, PORT)
            continue
        if not head.startswith(b"ICAP/1.0 204"):
            raise SystemExit("unexpected answer: " + head.decode(errors="replace"))
        latencies.append(time.perf_counter() - t0)
    writer.close()


async def main():
    latencies = []
    reconnects = []
    start = time.perf_counter()
    await asyncio.gather(*(worker(start + DURATION, latencies, reconnects) for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
    print(f"{len(latencies)} requests in {elapsed:.1f} s: {len(latencies) / elapsed:.0f} req/s, "
          f"p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms, max {latencies[-1] * 1000:.2f} ms, "
          f"{len(reconnects)} reconnects")


asyncio.run(main())
