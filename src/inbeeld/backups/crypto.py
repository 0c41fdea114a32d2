"""Backups encrypted at rest: AES-256-GCM in chunks of 1 MiB, streamed (a backup of millions of
rows never sits in memory whole).

A file is the header ``MAGIC`` + a 16-byte salt + an 8-byte nonce prefix, then chunks of
``length (4 bytes, big-endian) + ciphertext``. Each chunk's key is derived from
``INBEELD_BACKUP_KEY`` and the file's salt (HKDF-SHA256); its nonce is the prefix and the chunk's
number; its associated data is the header, the number and whether it is the last, so chunks
cannot be reordered, dropped, or the file cut short without the decryption failing.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"INBEELD-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
_LENGTH = struct.Struct(">I")
#: the shortest key accepted: `inbeeld backup --new-key` makes one of 43 characters
MIN_KEY_LENGTH = 32


class BackupKeyError(ValueError):
    """The key is wrong, or the file was changed or cut short."""


def new_key() -> str:
    return secrets.token_urlsafe(32)


def _aes(key: str, salt: bytes) -> AESGCM:
    if len(key) < MIN_KEY_LENGTH:
        raise BackupKeyError(f"INBEELD_BACKUP_KEY must be at least {MIN_KEY_LENGTH} characters")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"inbeeld-backup").derive(
        key.encode()
    )
    return AESGCM(derived)


def is_encrypted(path: os.PathLike | str) -> bool:
    with open(path, "rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", number, last)


def _chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """The source's chunks, each with whether it is the last (an empty file: one empty chunk)."""
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def encrypt(source: BinaryIO, target: BinaryIO, key: str) -> None:
    salt, prefix = os.urandom(16), os.urandom(8)
    header = MAGIC + salt + prefix
    aes = _aes(key, salt)
    target.write(header)
    for number, (chunk, last) in enumerate(_chunks(source)):
        sealed = aes.encrypt(prefix + struct.pack(">I", number), chunk, _aad(header, number, last))
        target.write(_LENGTH.pack(len(sealed)) + struct.pack(">?", last) + sealed)


def decrypt(source: BinaryIO, target: BinaryIO, key: str) -> None:
    header = source.read(len(MAGIC) + 24)
    if not header.startswith(MAGIC) or len(header) != len(MAGIC) + 24:
        raise BackupKeyError("not an encrypted Inbeeld backup")
    salt, prefix = header[len(MAGIC) : len(MAGIC) + 16], header[len(MAGIC) + 16 :]
    aes = _aes(key, salt)
    number, ended = 0, False
    while True:
        frame = source.read(_LENGTH.size + 1)
        if not frame:
            break
        if ended or len(frame) != _LENGTH.size + 1:
            raise BackupKeyError("the backup was changed after it was written")
        (length,), last = _LENGTH.unpack(frame[:4]), frame[4] == 1
        sealed = source.read(length)
        try:
            chunk = aes.decrypt(
                prefix + struct.pack(">I", number), sealed, _aad(header, number, last)
            )
        except InvalidTag:
            raise BackupKeyError(
                "the backup cannot be decrypted: a different INBEELD_BACKUP_KEY, or the file "
                "was changed"
            ) from None
        target.write(chunk)
        number, ended = number + 1, last
    if not ended:
        raise BackupKeyError("the backup is cut short (its last part is missing)")
