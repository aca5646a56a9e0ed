"""Reading a .qdpx (a zip archive) safely: members are read into memory, never extracted to disk.

Refused with a `QdpxError` naming the file: something that is not a zip; a member name that is absolute or climbs
out with ".." (zip-slip); archives whose members would decompress to more than `max_total_bytes` (zip bombs),
checked against the declared sizes up front and again while reading; encrypted or corrupt members.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from coding.errors import Problem, QcodeError

MAX_TOTAL_BYTES = 500 * 1024 * 1024
# The standard's name for the folder of source files; ATLAS.ti rejects "Sources/", so qcode writes this and reads
# either (member names are matched ignoring case).
SOURCES_FOLDER = "sources"
MAX_MEMBERS = 100_000
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


class QdpxError(QcodeError):
    """A REFI-QDA project file that qcode cannot or will not import."""


def unsafe_member_reason(name: str) -> str | None:
    """Why a member name is refused, or None when it is a plain relative path inside the archive."""
    if "\x00" in name:
        return "contains a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "climbs out of the archive with '..'"
    return None


class QdpxArchive:
    """The members of one .qdpx, read on demand within a total size budget."""

    def __init__(self, path: Path, max_total_bytes: int = MAX_TOTAL_BYTES):
        self.path = path
        self.max_total_bytes = max_total_bytes
        self._read_so_far = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise QdpxError(Problem("file not found", path=str(path), hint="check the path")) from None
        except IsADirectoryError:
            raise QdpxError(Problem("is a folder, not a .qdpx file", path=str(path))) from None
        except zipfile.BadZipFile:
            raise QdpxError(Problem("is not a REFI-QDA project: a .qdpx file is a zip archive and this is not one",
                                    path=str(path), hint="export the project again as REFI-QDA (.qdpx)")) from None
        except OSError as error:
            raise QdpxError(Problem(f"cannot read the file ({error.strerror or error})", path=str(path))) from None
        self._check_members()

    def _check_members(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self._error(f"holds {len(infos)} files, more than the {MAX_MEMBERS} qcode accepts")
        for info in infos:
            reason = unsafe_member_reason(info.filename)
            if reason:
                raise self._error(f"member '{info.filename}' {reason}; qcode refuses such archives",
                                  hint="a genuine .qdpx holds project.qde and a sources/ folder")
        declared = sum(info.file_size for info in infos)
        if declared > self.max_total_bytes:
            raise self._too_big(declared)

    def _error(self, message: str, hint: str | None = None) -> QdpxError:
        return QdpxError(Problem(message, path=str(self.path), hint=hint))

    def _too_big(self, size: int) -> QdpxError:
        return self._error(f"would decompress to more than {_megabytes(self.max_total_bytes)} "
                           f"({size:,} bytes or more)", hint="qcode refuses possible zip bombs; check the file")

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self._zip.infolist() if not info.is_dir()]

    def find(self, name: str) -> str | None:
        """The member called `name`, compared with "\\" as "/" and ignoring case when there is no exact match."""
        wanted = name.replace("\\", "/").lstrip("./")
        names = self.names
        for candidate in names:
            if candidate.replace("\\", "/") == wanted:
                return candidate
        folded = wanted.casefold()
        return next((c for c in names if c.replace("\\", "/").casefold() == folded), None)

    def read(self, member: str) -> bytes:
        """The member's bytes, stopping as soon as the archive's size budget is exceeded."""
        budget = self.max_total_bytes - self._read_so_far
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(member) as stream:
                while chunk := stream.read(min(_CHUNK, budget - size + 1)):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > budget:
                        raise self._too_big(self._read_so_far + size)
        except RuntimeError as error:  # zipfile's way of saying "encrypted, password required"
            raise self._error(f"member '{member}' cannot be read ({error})",
                              hint="export the project again without a password") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise self._error(f"member '{member}' is corrupt or uses an unsupported compression ({error})",
                              hint="export the project again") from None
        self._read_so_far += size
        return b"".join(chunks)

    def project_member(self) -> str:
        """project.qde, or the one other .qde file at any depth (some ATLAS.ti versions name it after the project)."""
        exact = self.find("project.qde")
        if exact:
            return exact
        qde = [n for n in self.names if PurePosixPath(n.replace("\\", "/")).suffix.casefold() == ".qde"]
        if len(qde) == 1:
            return qde[0]
        if not qde:
            raise self._error("has no project.qde inside", hint="is this a REFI-QDA project (.qdpx) export?")
        raise self._error(f"holds several .qde files ({', '.join(sorted(qde))}) and no project.qde",
                          hint="export one project per .qdpx file")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
