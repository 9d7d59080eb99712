"""Bitstring Status List encoding (W3C Bitstring Status List v1.0), pure.

Index 0 is the left-most bit: the most significant bit of the first byte. The
published `encodedList` is the GZIP-compressed bitstring, base64url-encoded without
padding, with the multibase prefix "u".
"""

import base64
import gzip
from collections.abc import Iterable

# The specification's minimum size: 16 KiB, so that one set bit says little about whom.
MIN_BITS = 131_072


def bitstring(size: int, set_indexes: Iterable[int]) -> bytes:
    if size % 8:
        raise ValueError("the size must be a multiple of 8")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode_list(size: int, set_indexes: Iterable[int]) -> str:
    compressed = gzip.compress(bitstring(size, set_indexes), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    if encoded.startswith("u"):
        encoded = encoded[1:]
    padded = encoded + "=" * (-len(encoded) % 4)
    return gzip.decompress(base64.urlsafe_b64decode(padded))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
