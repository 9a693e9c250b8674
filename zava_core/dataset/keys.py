"""Random version-4 keys drawn from a seeded stream: reproducible, yet counting nothing.

Customers, orders and order lines are keyed by random UUIDs (what ``gen_random_uuid()`` gives
rows inserted later), so that no key tells how many rows came before it or belong to other
stores. The generator draws them from its seeded streams, so the same seed still gives the same
keys.

About 650,000 keys are made at scale 1, so the UUID is built the way CPython 3.14's
``uuid.UUID._from_int`` does (set ``int`` and ``is_safe`` directly): the public constructor's
argument checks cost three times as much, over a second per default seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable

__all__ = ["KeyTable", "key_from_bits", "key_maker"]

_VERSION_VARIANT_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_VERSION_4_VARIANT_RFC = (0x4000 << 64) | (0x8000 << 48)
_KEY_BYTES = 16
# Bound once: an enum member read through its class costs more than building the key.
_UUID, _UNKNOWN = uuid.UUID, uuid.SafeUUID.unknown
_new, _set = object.__new__, object.__setattr__


def key_from_bits(bits: int) -> uuid.UUID:
    """The version-4 UUID of 128 random bits: ``uuid.UUID(int=bits, version=4)``, faster."""
    key = _new(_UUID)
    _set(key, "int", (bits & _VERSION_VARIANT_CLEAR) | _VERSION_4_VARIANT_RFC)
    _set(key, "is_safe", _UNKNOWN)
    return key


def key_maker(rng: random.Random) -> Callable[[], uuid.UUID]:
    """A function that returns the stream's next random key (one 128-bit draw per key)."""
    draw = rng.getrandbits

    def next_key() -> uuid.UUID:
        key = _new(_UUID)
        _set(key, "int", (draw(128) & _VERSION_VARIANT_CLEAR) | _VERSION_4_VARIANT_RFC)
        _set(key, "is_safe", _UNKNOWN)
        return key

    return next_key


class KeyTable:
    """``count`` random keys looked up by index, packed in one bytes object (16 bytes a key).

    Orders reach their customer's key by the customer's index; keeping the keys packed costs
    16 bytes each instead of a UUID object's hundred or so, which matters at scale 100.
    """

    __slots__ = ("_packed", "count")

    def __init__(self, rng: random.Random, count: int) -> None:
        self.count = count
        self._packed = rng.getrandbits(128 * count).to_bytes(_KEY_BYTES * count, "big") if count else b""

    def __getitem__(self, index: int) -> uuid.UUID:
        if not 0 <= index < self.count:
            raise IndexError(index)
        start = index * _KEY_BYTES
        return key_from_bits(int.from_bytes(self._packed[start : start + _KEY_BYTES], "big"))

    def __len__(self) -> int:
        return self.count
