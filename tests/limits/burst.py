"""One process of the shared-limit test (tests/limits/test_redis.py): connect,
say ``ready``, wait for ``go`` on stdin, then admit ``count`` requests (16 at a
time) against ``rpm`` on one subject and ``count`` against ``tpm`` on another,
and print how many of each were admitted.

    python -m tests.limits.burst URL PREFIX COUNT RPM TPM ESTIMATE
"""

from __future__ import annotations

import asyncio
import sys

from lip.canonical.errors import RateLimitedError
from lip.config.access import KeyLimits
from lip.limits.redis import RedisLimiter, connect

_IN_FLIGHT = 16  # a steady stream rather than one gulp: the two processes interleave


async def _admitted(
    limiter: RedisLimiter, subject: str, limits: KeyLimits, n: int, est: int
) -> int:
    gate = asyncio.Semaphore(_IN_FLIGHT)

    async def one() -> bool:
        async with gate:
            try:
                await limiter.admit(subject, limits, est)
            except RateLimitedError:
                return False
            return True

    return sum(await asyncio.gather(*(one() for _ in range(n))))


async def main(url: str, prefix: str, count: int, rpm: int, tpm: int, estimate: int) -> None:
    client = connect(url)
    await client.ping()
    limiter = RedisLimiter(client, key_prefix=prefix)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    by_rpm = await _admitted(limiter, "rpm-subject", KeyLimits(rpm=rpm), count, estimate)
    by_tpm = await _admitted(limiter, "tpm-subject", KeyLimits(tpm=tpm), count, estimate)
    print(by_rpm, by_tpm, flush=True)
    await limiter.aclose()


if __name__ == "__main__":
    url, prefix, *numbers = sys.argv[1:]
    count, rpm, tpm, estimate = (int(n) for n in numbers)
    asyncio.run(main(url, prefix, count, rpm, tpm, estimate))
