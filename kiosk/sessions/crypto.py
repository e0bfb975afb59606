"""Encrypted bundles: a lost USB stick reveals nothing.

Why age (through ``pyrage``): age is a small, specified file format (age-encryption.org/v1)
with X25519 recipients and authenticated ChaCha20-Poly1305 payloads. We choose no cipher,
mode, nonce or key-derivation ourselves, so there is no home-made protocol to get wrong; a
designer can also open a bundle with the stock ``age`` tool, and keys are one short line of
text that survives being copied onto a stick or into an email. ``pyrage`` binds the Rust
``rage`` implementation and ships wheels (x86-64 and 64-bit ARM) with no system libraries.

Keys:

- ``kiosk keys new DIR`` writes ``designer-public-key.txt`` (``age1...``; it may be shared)
  and ``designer-private-key.txt`` (``AGE-SECRET-KEY-1...``; mode 600, never leaves the
  designer's computer).
- The kiosk keeps public keys in ``<home>/keys/designer-public-key.txt`` (several lines =
  several designers). While that file exists the kiosk writes only encrypted bundles; a
  damaged key file stops the export rather than falling back to plain text.
- A stick whose ``kiosk-export/`` folder holds ``designer-public-key.txt`` installs it when
  the kiosk has no key yet (trust on first use). A stick never *replaces* an installed key:
  that needs ``kiosk keys install --replace`` on the kiosk itself, so a stranger's stick
  cannot redirect later exports to their own key.

An encrypted bundle is a folder with ``bundle.age`` (the age encryption of the plain bundle's
three files) and a ``manifest.json`` holding only the format, the time, the recipients and
the size and SHA-256 of ``bundle.age``, so a half-copied bundle is told apart from a whole
one before any decryption, and nothing about sessions or venues is readable without the key.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable
from pathlib import Path

from kiosk.errors import KioskError

PUBLIC_KEY_FILE = "designer-public-key.txt"
PRIVATE_KEY_FILE = "designer-private-key.txt"
KEYS_FOLDER = "keys"
SEALED_FILE = "bundle.age"
ENCRYPTED_FORMAT = "kiosk-bundle-encrypted/1"
PLAIN_INSIDE_FORMAT = "kiosk-bundle-files/1"


class KeyProblem(KioskError):
    """A key file that is missing, damaged or of the wrong kind, said plainly."""


def _pyrage():
    try:
        import pyrage
    except ImportError as error:  # pragma: no cover - it is an install requirement
        raise KeyProblem("Encryption needs the 'pyrage' package: pip install pyrage") from error
    return pyrage


def _key_lines(path: Path) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KeyProblem(f"There is no key file at {path}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeyProblem(f"The key file {path} cannot be read ({error}).") from None
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def read_public_keys(path: Path) -> list:
    """The age recipients in a public key file (one ``age1...`` per line)."""
    from pyrage import x25519

    _pyrage()
    lines = _key_lines(path)
    if any(line.startswith("AGE-SECRET-KEY-") for line in lines):
        raise KeyProblem(f"{path} is a PRIVATE key. Put only the public key "
                         f"({PUBLIC_KEY_FILE}) on the kiosk, and keep the private one safe.")
    keys = []
    for line in lines:
        try:
            keys.append(x25519.Recipient.from_str(line))
        except Exception:  # noqa: BLE001 - pyrage raises its own error types
            raise KeyProblem(f"{path} holds something that is not a public key: "
                             f"{line[:20]!r}...") from None
    if not keys:
        raise KeyProblem(f"{path} holds no public key.")
    return keys


def read_private_keys(path: Path) -> list:
    """The age identities in a private key file (``AGE-SECRET-KEY-1...`` lines)."""
    lines = _key_lines(path)
    if any(line.startswith("age1") for line in lines):
        raise KeyProblem(f"{path} is a public key; import needs the private key "
                         f"({PRIVATE_KEY_FILE}).")
    try:
        identities = private_keys_from_text(lines)
    except KeyProblem:
        raise KeyProblem(f"{path} holds something that is not a private key.") from None
    if not identities:
        raise KeyProblem(f"{path} holds no private key.")
    return identities


def private_keys_from_text(lines: Iterable[str]) -> list:
    """Age identities from their text (``AGE-SECRET-KEY-1...``), as ``str()`` gives them."""
    from pyrage import x25519

    _pyrage()
    identities = []
    for line in lines:
        try:
            identities.append(x25519.Identity.from_str(line))
        except Exception:  # noqa: BLE001
            raise KeyProblem("That is not an age private key.") from None
    return identities


def new_key_pair(folder: Path) -> tuple[Path, Path]:
    """A fresh key pair in ``folder``: (public key file, private key file). Never overwrites."""
    from pyrage import x25519

    _pyrage()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    public, private = folder / PUBLIC_KEY_FILE, folder / PRIVATE_KEY_FILE
    if private.exists() or public.exists():
        raise KeyProblem(f"There is already a key in {folder}; it was left alone. Choose "
                         "another folder (an old key is still needed for old bundles).")
    identity = x25519.Identity.generate()
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("# The designer's PRIVATE key for kiosk bundles. Keep it safe; never put "
                     "it on a kiosk or a stick.\n" + str(identity) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    public.write_text("# The designer's public key: install it on each kiosk "
                      "(kiosk keys install, or put it in kiosk-export/ on a stick).\n"
                      + str(identity.to_public()) + "\n", encoding="utf-8")
    return public, private


def installed_key_file(home_root: Path) -> Path:
    """Where a kiosk keeps the designers' public keys."""
    return Path(home_root) / KEYS_FOLDER / PUBLIC_KEY_FILE


def install_public_key(home_root: Path, source: Path, replace: bool = False) -> Path:
    """Check ``source`` holds public keys, then copy it onto the kiosk atomically."""
    from kiosk.durable import write_atomically

    read_public_keys(source)  # refuses private keys and nonsense before anything changes
    target = installed_key_file(home_root)
    if target.exists() and not replace:
        if target.read_bytes() == Path(source).read_bytes():
            return target
        raise KeyProblem(f"This kiosk already has a designer key ({target}). To change it, "
                         "run: kiosk keys install --replace PUBLIC_KEY_FILE")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, Path(source).read_bytes())
    return target


def kiosk_recipients(home_root: Path | None, stick_folder: Path | None = None) -> list | None:
    """The public keys exports must be encrypted to, or None when no key is installed.

    A key waiting on the stick is installed first when the kiosk has none (see module note).
    """
    if home_root is None:
        return None
    installed = installed_key_file(home_root)
    if not installed.exists() and stick_folder is not None:
        offered = Path(stick_folder) / PUBLIC_KEY_FILE
        if offered.is_file():
            install_public_key(home_root, offered)
    if not installed.exists():
        return None
    return read_public_keys(installed)


def seal(files: dict[str, bytes], recipients: list) -> bytes:
    """The plain bundle's files, encrypted to every recipient (one age file)."""
    pyrage = _pyrage()
    inner = json.dumps({"format": PLAIN_INSIDE_FORMAT,
                        "files": {name: base64.b64encode(data).decode("ascii")
                                  for name, data in files.items()}}).encode("utf-8")
    return pyrage.encrypt(inner, recipients)


def unseal(data: bytes, identities: list) -> dict[str, bytes]:
    """The plain bundle's files back, or KeyProblem (wrong key, or not an age file)."""
    pyrage = _pyrage()
    try:
        inner = pyrage.decrypt(data, identities)
    except Exception:  # noqa: BLE001 - pyrage.DecryptError and friends
        raise KeyProblem("it cannot be opened with this private key (it was encrypted for "
                         "another designer's key, or it is damaged).") from None
    try:
        body = json.loads(inner.decode("utf-8"))
        if body.get("format") != PLAIN_INSIDE_FORMAT:
            raise ValueError(body.get("format"))
        return {str(name): base64.b64decode(text, validate=True)
                for name, text in body["files"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyProblem("it opened with this key but its contents cannot be read.") from None
