"""The signed manifest: path → SHA-256 and size for every served file, signed with Ed25519.

manifest.json at the release root is one JSON object, one file per line:
  {"format":"xinwen-manifest/1",
  "key":"<base64 of the 32-byte Ed25519 public key>",
  "signature":"<base64 of the Ed25519 signature>",
  "files":{
  "article/12/index.html":{"sha256":"<hex>","size":1234},
  ...
  }}
The signature covers the canonical JSON of the object without "signature" (keys sorted,
no spaces, UTF-8). One file, so re-signing after an incremental publish is one atomic
rename. The private key stays with the CMS (VAR_DIR/publishing/); the public side only
ever sees the public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from xinwen.publishing.errors import ManifestError
from xinwen.publishing.files import write_atomic

__all__ = [
    "MANIFEST",
    "FORMAT",
    "signing_key",
    "load_public_key",
    "file_entry",
    "bytes_entry",
    "tree_files",
    "manifest_write",
    "manifest_read",
    "Difference",
    "tree_verify",
]

MANIFEST = "manifest.json"
FORMAT = "xinwen-manifest/1"
_CHUNK = 1 << 20


def _key_dir() -> Path:
    return Path(settings.VAR_DIR) / "publishing"


def signing_key() -> Ed25519PrivateKey:
    """The site's signing key, made on first use (private key 0600, public key beside it)."""
    private_path = _key_dir() / "ed25519.key"
    if private_path.exists():
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ManifestError(f"{private_path} 不是 Ed25519 私钥。")
        return key
    key = Ed25519PrivateKey.generate()
    private_path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    (_key_dir() / "ed25519.pub").write_bytes(_public_pem(key.public_key()))
    return key


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_public_key(path: Path | None = None) -> Ed25519PublicKey | None:
    """The key to trust: a PEM file given by the operator, else this site's own, else None."""
    path = path or _key_dir() / "ed25519.pub"
    if not path.exists():
        return None
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as exc:
        raise ManifestError(f"{path} 不是 PEM 格式的公钥：{exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ManifestError(f"{path} 不是 Ed25519 公钥。")
    return key


def bytes_entry(data: bytes) -> dict:
    """The manifest entry of a file holding `data` (what file_entry reads back)."""
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def file_entry(path: Path) -> dict:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def tree_files(root: Path) -> list[str]:
    """Every served file under `root` (the manifest and temporary files excluded), sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".tmp"))
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            if rel == MANIFEST or ".tmp-" in name:
                continue
            found.append(rel)
    return sorted(found)


def _files_json(files: dict[str, dict]) -> str:
    return json.dumps(files, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical(body: dict, files_json: str | None = None) -> bytes:
    """What is signed: `body` (format, key, files) as JSON with keys sorted, no spaces, UTF-8.

    `files_json`: body["files"] already written by _files_json, so that a writer encodes its
    250,000 entries once for both the signature and the file.
    """
    files_json = _files_json(body["files"]) if files_json is None else files_json
    head = {name: json.dumps(body[name], ensure_ascii=False) for name in ("format", "key")}
    return f'{{"files":{files_json},"format":{head["format"]},"key":{head["key"]}}}'.encode()


def _layout(signed: dict, files_json: str) -> bytes:
    """The manifest's bytes: one line per file, so two releases' manifests diff file by file.

    `files_json` is signed["files"] as _canonical writes it. json's C encoder writes it once
    for both the signature and the file: with `indent`, json falls back to its pure-Python
    encoder, which took about 5 s for a 250,000-file tree on every incremental publish.
    """
    head = ",\n".join(f"{json.dumps(k)}:{json.dumps(signed[k], ensure_ascii=False)}" for k in sorted(signed) if k != "files")
    # A quote inside a JSON string is always escaped, so `},"` only ever stands between two entries.
    lines = files_json[1:-1].replace('},"', '},\n"')
    return f'{{{head},\n"files":{{\n{lines}\n}}}}\n'.encode()


# The digest of the manifest this process last wrote, per release. Re-signing after an
# incremental publish reads the file again, but when its bytes are still the ones written and
# signed here, checking the signature over 250,000 entries again proves nothing new.
_written: dict[str, bytes] = {}


def manifest_write(root: Path, files: dict[str, dict], key: Ed25519PrivateKey | None = None) -> dict:
    """Sign `files` and write manifest.json atomically; returns the manifest."""
    key = key or signing_key()
    body = {"format": FORMAT, "key": base64.b64encode(_raw(key.public_key())).decode(), "files": dict(sorted(files.items()))}
    files_json = _files_json(body["files"])
    signed = {**body, "signature": base64.b64encode(key.sign(_canonical(body, files_json))).decode()}
    path = root / MANIFEST
    data = _layout(signed, files_json)
    write_atomic(path, data)
    _written[str(path)] = hashlib.sha256(data).digest()
    return signed


def manifest_read(root: Path, trusted: Ed25519PublicKey | None, *, own: bool = False) -> dict[str, dict]:
    """The files of a manifest whose signature holds (under `trusted`, else the key it names).

    `own`: the publisher re-signing its own release skips the signature check when the file
    holds exactly the bytes it wrote and signed last. Verification (the hijack guard) always checks.
    """
    path = root / MANIFEST
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        body = {"format": data["format"], "key": data["key"], "files": data["files"]}
        signature = base64.b64decode(data["signature"], validate=True)
        embedded = Ed25519PublicKey.from_public_bytes(base64.b64decode(data["key"], validate=True))
    except FileNotFoundError:
        raise ManifestError(f"{path} 不存在：这不是 xinwen publish 生成的目录。") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidManifest(f"{MANIFEST}: 无法读取（{exc.__class__.__name__}），清单已损坏或被改动") from None
    if body["format"] != FORMAT:
        raise ManifestError(f"{path} 的格式 {body['format']!r} 不认识。")
    key = trusted or embedded
    if trusted is not None and _raw(trusted) != _raw(embedded):
        raise InvalidManifest(f"{MANIFEST}: 签名密钥不是受信任的密钥")
    if own and _written.get(str(path)) == hashlib.sha256(raw).digest():
        return body["files"]  # the very bytes this process signed
    try:
        key.verify(signature, _canonical(body))
    except InvalidSignature:
        raise InvalidManifest(f"{MANIFEST}: 签名无效，清单被改动过") from None
    return body["files"]


class InvalidManifest(ManifestError):
    """The manifest exists but its content or signature does not hold: the tree was tampered with."""


@dataclass(frozen=True)
class Difference:
    kind: str  # added, changed, missing
    path: str

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"


def tree_verify(root: Path, trusted: Ed25519PublicKey | None = None) -> list[Difference]:
    """Every file added, changed or missing against the signed manifest (empty: the tree matches)."""
    expected = manifest_read(root, trusted)
    found = set(tree_files(root))
    differences = [Difference("added", p) for p in sorted(found - expected.keys())]
    for path in sorted(expected.keys()):
        if path not in found:
            differences.append(Difference("missing", path))
        elif file_entry(root / path) != expected[path]:
            differences.append(Difference("changed", path))
    return sorted(differences, key=lambda d: (d.path, d.kind))
