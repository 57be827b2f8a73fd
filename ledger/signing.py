"""Ed25519 keys for signed seals (SPEC §9, docs/seal.md).

A signed seal carries `sig:` (base64 of the Ed25519 signature over the UTF-8 seal value,
"v1:<hex>") and `key:` (the signing key's fingerprint, "ed25519:" + the first 16 hex digits
of SHA-256 over the 32 raw public-key bytes). Keys are PEM files: PKCS#8 private keys and
SubjectPublicKeyInfo public keys, the forms `openssl genpkey -algorithm ed25519` writes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path
from typing import TypeAlias

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

#: The key types, for callers that do not import `cryptography` themselves.
PrivateKey: TypeAlias = Ed25519PrivateKey
PublicKey: TypeAlias = Ed25519PublicKey

PRIVATE_NAME = "seal-key.pem"
PUBLIC_NAME = "seal-key.pub.pem"


class KeyFileError(ValueError):
    """A key file that cannot be used: missing, unreadable, encrypted or not Ed25519."""


def generate() -> Ed25519PrivateKey:
    """Return a new private key."""
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    """Return the unencrypted PKCS#8 PEM of a private key."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    """Return the SubjectPublicKeyInfo PEM of a public key."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def write_pair(folder: Path) -> tuple[Path, Path, str]:
    """Write a new key pair into a folder; return both paths and the fingerprint.

    The private key is created with mode 0600 and never overwrites a file.

    Raises:
      KeyFileError: a key file already exists there.

    """
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    for path in (private_path, public_path):
        if path.exists():
            raise KeyFileError(f"{path} already exists; not overwriting a key")
    key = generate()
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(private_pem(key))
    os.chmod(private_path, 0o600)  # The umask may have narrowed it; never widened.
    public_path.write_bytes(public_pem(key.public_key()))
    return private_path, public_path, fingerprint(key.public_key())


def load_private(pem: bytes, name: str = "key") -> Ed25519PrivateKey:
    """Return the Ed25519 private key of PEM bytes.

    Raises:
      KeyFileError: not an unencrypted Ed25519 private key in PEM.

    """
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{name} is not an unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{name} is not an Ed25519 key")
    return key


def load_public(pem: bytes, name: str = "key") -> Ed25519PublicKey:
    """Return the Ed25519 public key of PEM bytes.

    Raises:
      KeyFileError: not an Ed25519 public key in PEM.

    """
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{name} is not a PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{name} is not an Ed25519 key")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    """Return "ed25519:" + the first 16 hex digits of SHA-256 of the raw public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, value: str) -> str:
    """Return the base64 signature of a seal value."""
    return base64.b64encode(key.sign(value.encode("utf-8"))).decode("ascii")


def verify(key: Ed25519PublicKey, value: str, signature: str) -> bool:
    """Return True when a base64 signature of a seal value verifies with the key."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        key.verify(raw, value.encode("utf-8"))
    except (InvalidSignature, binascii.Error, UnicodeEncodeError, ValueError):
        return False
    return True
