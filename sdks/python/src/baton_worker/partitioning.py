"""Where a keyed record lands: Kafka's Java default partitioner (murmur2).

Baton routes every run-keyed topic with murmur2 of the UTF-8 key, positive,
modulo the partition count. librdkafka's default (``consistent_random``, CRC32)
puts a run's report on another partition, where an engine that does not own
the run reads it; the SDK's producer is configured with ``murmur2_random``
instead, and ``partition_for`` lets a test or a tool check where a key goes.
"""

from __future__ import annotations

_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """Kafka's ``Utils.murmur2`` (seed 0x9747b28c), as a signed 32-bit int."""
    length = len(data)
    h = (0x9747B28C ^ length) & _MASK
    whole = length - (length % 4)
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = (h * _M) & _MASK
        h ^= k
    rest = length % 4
    if rest == 3:
        h ^= data[whole + 2] << 16
    if rest >= 2:
        h ^= data[whole + 1] << 8
    if rest >= 1:
        h ^= data[whole]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def partition_for(key: str, partition_count: int) -> int:
    """The partition Kafka's Java client (and Baton) picks for ``key``."""
    return (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partition_count
