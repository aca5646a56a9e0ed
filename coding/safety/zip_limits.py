"""Size limits for zip-based inputs (.docx, .qdpx): a zip bomb is refused before it is inflated.

A zip bomb is a small file whose members inflate to gigabytes. Every member declares its inflated size in the
archive's directory; those sizes are checked first. The directory can lie, so members are then read in small chunks:
`zipfile` never returns more than the declared size (it stops there and fails the CRC check), while one unbounded
`read()` would inflate the whole compressed stream before cutting it. Whoever parses the members afterwards must use
the bytes read here, never read the archive again.
"""

from __future__ import annotations

import zipfile
import zlib

MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 100_000
_CHUNK = 1024 * 1024


class InflationRefused(Exception):
    """The archive would inflate past a limit; `reason` says which member and by how much, as a sentence."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def too_big_to_inflate(
    archive: zipfile.ZipFile,
    max_member_bytes: int,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    member_limit: dict[str, int] | None = None,
) -> str | None:
    """Why the archive would inflate too far (a member over its limit, all members over `max_total_bytes`, too many
    members), or None. `member_limit` maps a name suffix (".xml") to a tighter limit for members that get parsed."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        return f"holds {len(infos):,} files, more than the {MAX_MEMBERS:,} qcode accepts"
    total = 0
    for info in infos:
        limit = max_member_bytes
        for suffix, tighter in (member_limit or {}).items():
            if info.filename.lower().endswith(suffix):
                limit = min(limit, tighter)
        if info.file_size > limit:
            return (f"member '{info.filename}' would inflate to {megabytes(info.file_size)}, "
                    f"more than the {megabytes(limit)} qcode accepts")
        total += info.file_size
    if total > max_total_bytes:
        return f"would inflate to {megabytes(total)}, more than the {megabytes(max_total_bytes)} qcode accepts"
    return None


def read_within_limits(
    archive: zipfile.ZipFile,
    max_member_bytes: int,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    member_limit: dict[str, int] | None = None,
) -> dict[str, bytes]:
    """Every file member's bytes, read in chunks so that no member inflates past its declared, checked size.

    Raises `InflationRefused` for sizes over the limits, and `zipfile.BadZipFile` for a corrupt member (a directory
    that understates a member's size ends in a failed CRC check)."""
    reason = too_big_to_inflate(archive, max_member_bytes, max_total_bytes, member_limit)
    if reason:
        raise InflationRefused(reason)
    members: dict[str, bytes] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        chunks: list[bytes] = []
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    chunks.append(chunk)
        except (zlib.error, EOFError) as error:
            raise zipfile.BadZipFile(f"member '{info.filename}' is corrupt ({error})") from None
        members[info.filename] = b"".join(chunks)
    return members
