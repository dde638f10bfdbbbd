"""Zip archives from users (Word leaflets and Word review files) are checked before anything unpacks them.

The check reads only the archive's directory, never its members: first the end record (how many members,
how big the directory), so a directory of millions of entries is refused before Python builds one object per
entry; then each entry's declared sizes, stopping at the first that passes a limit (member count, one
member's size, the total, the compression ratio). Declared sizes are what Python's zipfile holds a member
to when it is read later (it stops at the declared size and fails the CRC check), so an archive that lies
about them fails as a broken file instead of unpacking a bomb.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from .errors import BadInput

MAX_MEMBERS = 5_000  # a Word file has a few dozen parts; one with hundreds of pictures, a few hundred
MAX_DIRECTORY = 4 * 1024 * 1024  # bytes of the central directory (about 40,000 entries)
MAX_MEMBER = 100 * 1024 * 1024  # bytes of one unpacked member
MAX_UNPACKED = 200 * 1024 * 1024  # bytes of all members together
MAX_RATIO = 200  # unpacked/packed, for a member or the whole, once it is over RATIO_FLOOR
RATIO_FLOOR = 10 * 1024 * 1024  # small parts compress very well (styles, repeated XML) and are harmless

END = b"PK\x05\x06"
END64_LOCATOR = b"PK\x06\x07"
END64 = b"PK\x06\x06"


def _directory(path: Path) -> tuple[int, int]:
    """(entries, directory bytes) from the end record (the ZIP64 one when the plain one is saturated)."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        tail_start = max(0, size - (22 + 65535 + 20))
        fh.seek(tail_start)
        tail = fh.read()
        at = tail.rfind(END)
        if at < 0 or len(tail) - at < 22:
            raise zipfile.BadZipFile("no end of central directory record")
        entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
        if entries == 0xFFFF or directory == 0xFFFFFFFF:
            locator = tail[at - 20 : at] if at >= 20 else b""
            if locator[:4] != END64_LOCATOR:
                raise zipfile.BadZipFile("broken ZIP64 end record")
            (offset,) = struct.unpack("<Q", locator[8:16])
            if offset > size - 56:
                raise zipfile.BadZipFile("broken ZIP64 end record")
            fh.seek(offset)
            record = fh.read(56)
            if record[:4] != END64:
                raise zipfile.BadZipFile("broken ZIP64 end record")
            entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def check_zip(path: Path, what: str = "Word file", hint: str = "re-save it from Word as .docx") -> None:
    """Refuse (exit 3) an archive that is broken or would unpack beyond the limits, reading only its directory."""
    path = Path(path)

    def refuse(reason: str, why: str = "a zip bomb?") -> BadInput:
        return BadInput(f"{path.name} {reason} ({why})", hint)

    try:
        entries, directory = _directory(path)
        if entries > MAX_MEMBERS or directory > MAX_DIRECTORY:
            raise refuse(
                f"holds {entries:,} files in {directory / 1e6:.1f} MB of directory; a {what} has at most "
                f"{MAX_MEMBERS:,}"
            )
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, struct.error, ValueError, EOFError) as exc:
        raise BadInput(f"{path.name} is not a valid {what} ({exc})", hint) from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(f"holds {len(infos):,} files; a {what} has at most {MAX_MEMBERS:,}")
    unpacked = packed = 0
    for info in infos:
        if info.file_size > MAX_MEMBER:
            raise refuse(f"unpacks {info.filename[:60]!r} to {info.file_size / 1e6:,.0f} MB")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(
                f"unpacks {info.filename[:60]!r} {info.file_size // max(info.compress_size, 1):,} times "
                f"its packed size, to {info.file_size / 1e6:,.0f} MB"
            )
        unpacked += info.file_size
        packed += info.compress_size
        if unpacked > MAX_UNPACKED:
            raise refuse(f"unpacks to more than {MAX_UNPACKED / 1e6:.0f} MB")
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed, 1):
        raise refuse(f"unpacks to {unpacked / 1e6:,.0f} MB, {unpacked // max(packed, 1):,} times its size")
