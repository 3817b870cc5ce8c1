#!/usr/bin/env python3
"""SMTP transaction latency for benchmarks (docs/benchmarks.md).

CONCURRENCY connections, each sending messages of SIZE bytes back to back for DURATION seconds
(pipelined MAIL, RCPT, DATA as Postfix sends them to a filter, then the message); the latency of
one message is from its MAIL to the final reply. Run it against smtp-sink directly and through
Mamori to see what the relay adds. Prints messages/s and latency percentiles.
Usage: smtp_latency.py HOST PORT [CONCURRENCY] [DURATION] [SIZE]
"""
import asyncio
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
CONCURRENCY = int(sys.argv[3]) if len(sys.argv) > 3 else 4
DURATION = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
SIZE = int(sys.argv[5]) if len(sys.argv) > 5 else 2000

BODY = (b"From: <load@partner.test>\r\nTo: <alice@corp.example>\r\nSubject: load\r\n"
        b"Message-Id: <load@partner.test>\r\n\r\n" + (b"X" * 78 + b"\r\n") * max(1, SIZE // 80) + b".\r\n")
ENVELOPE = b"MAIL FROM:<load@partner.test>\r\nRCPT TO:<alice@corp.example>\r\nDATA\r\n"


async def reply(reader):
    """Reads one (possibly multi-line) reply; returns its code."""
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("closed")
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3])


async def worker(deadline, latencies, failures):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    await reply(reader)
    writer.write(b"EHLO bench.test\r\n")
    await reply(reader)
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        writer.write(ENVELOPE)
        codes = [await reply(reader) for _ in range(3)]
        if codes[2] != 354:
            failures.append(codes)
            writer.write(b"RSET\r\n")
            await reply(reader)
            continue
        writer.write(BODY)
        code = await reply(reader)
        if code != 250:
            failures.append(code)
            continue
        latencies.append(time.perf_counter() - t0)
    writer.write(b"QUIT\r\n")
    await reply(reader)
    writer.close()


async def main():
    latencies, failures = [], []
    deadline = time.perf_counter() + DURATION
    start = time.perf_counter()
    await asyncio.gather(*(worker(deadline, latencies, failures) for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    print(f"{len(latencies)} messages in {elapsed:.1f} s = {len(latencies) / elapsed:.0f} msg/s, "
          f"p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms, p99.9 {pct(0.999):.2f} ms, failures {len(failures)}")


asyncio.run(main())
