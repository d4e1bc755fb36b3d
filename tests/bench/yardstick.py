"""The Python yardstick: what the original Python tools (asyncio + aiohttp) take to send a request script.

The original lsst-sqre/rubin-influx-tools is not published as a package, so the benchmark measures
its client instead: one aiohttp session, the reads of chain "first" before all others (the org
lookup), the other chains at once, each in order, every answer parsed as JSON as the original
parses them, then the writes with at most CONCURRENCY in flight. Script lines are FloorClient's:
"GET\tCHAIN\tPATH" for reads, "METHOD\tPATH\tBODY" for writes.

Usage: python yardstick.py URL CONCURRENCY SCRIPT_FILE, with the token in BENCH_TOKEN.
Prints "sent N failed M"; exits 1 when a request failed.
"""

import asyncio
import os
import sys

import aiohttp


async def send(session, base, request):
    method, path = request[0], request[1]
    body = request[2].encode() if len(request) > 2 else None
    headers = {"Content-Type": "application/json"} if body is not None else None
    async with session.request(method, base + path, data=body, headers=headers) as response:
        await response.json(content_type=None)
        return response.status // 100 == 2


async def chain(session, base, reads):
    failed = 0
    for read in reads:
        failed += 0 if await send(session, base, read) else 1
    return failed


async def main(base, concurrency, script):
    chains = {}
    writes = []
    with open(script, encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t", 2)
            if fields[0] == "GET":
                chains.setdefault(fields[1], []).append(("GET", fields[2]))
            elif fields[0]:
                writes.append(tuple(fields))
    headers = {"Authorization": "Token " + os.environ["BENCH_TOKEN"], "Accept": "application/json"}
    sent = failed = 0
    async with aiohttp.ClientSession(headers=headers) as session:
        first = chains.pop("first", [])
        failed += await chain(session, base, first)
        sent += len(first)
        results = await asyncio.gather(*(chain(session, base, reads) for reads in chains.values()))
        failed += sum(results)
        sent += sum(len(reads) for reads in chains.values())
        in_flight = asyncio.Semaphore(concurrency)

        async def write(request):
            async with in_flight:
                return await send(session, base, request)

        answers = await asyncio.gather(*(write(request) for request in writes))
        failed += sum(0 if ok else 1 for ok in answers)
        sent += len(writes)
    print("sent", sent, "failed", failed)
    return failed


if __name__ == "__main__":
    sys.exit(1 if asyncio.run(main(sys.argv[1].rstrip("/"), int(sys.argv[2]), sys.argv[3])) else 0)
