"""Every file qcode writes for a researcher (exports, report tables, codebook files, backups) goes through here.

Two promises:
- no output lands on a project: its database file, its write-ahead log (`.wal`), its migration backups (`.bak-*`),
  the backup hand-off files, or any existing DuckDB database (a backup, another project), whatever the spelling of
  the path (relative, absolute, `./`, `..`, a symlink, a hard link, another letter case);
- an output appears whole or not at all: bytes go to a temporary file in the target's folder, are flushed to disk,
  and only then renamed onto the target, so a full disk, a kill or a crash never leaves a truncated or empty file
  under the name the researcher asked for.

OS failures (disk full, read-only file system, permission denied, missing folder, a folder where a file should be)
become a `QcodeError` naming the file and the fix instead of a traceback.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coding.errors import Problem, QcodeError

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
PARTIAL_MARK = ".partial-"

# Files that belong to a project PROJECT.duckdb beside it: DuckDB's log and spill folder, the in-use and wanted marks.
_PROJECT_SUFFIXES = (".wal", ".tmp", ".in-use", ".wanted")
_MIGRATION_BACKUP = ".bak-"

_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space on that disk, or write somewhere else, "
                                                  "and run the command again"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space within your quota and run the command again"),
    errno.EROFS: ("the file system is read-only", "write to a folder on a writable disk"),
    errno.EACCES: ("permission denied", "write to a folder you may write to, or change its permissions"),
    errno.EPERM: ("the operation is not permitted here", "write to a folder you may write to"),
    errno.ENOENT: ("the folder does not exist", "create the folder first, or correct the path"),
    errno.EEXIST: ("a part of the path is a file, not a folder", "correct the path"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "correct the path"),
    errno.EISDIR: ("this is a folder, not a file", "give a file name inside that folder"),
    errno.ENAMETOOLONG: ("the file name is too long", "choose a shorter name"),
    errno.EIO: ("the disk reported an input/output error", "check the disk and run the command again"),
}


def os_error_problem(error: OSError, path: str | os.PathLike[str], action: str = "cannot write the file") -> Problem:
    """One located line for an OS failure on `path`: what happened and how to fix it."""
    reason, hint = _OS_REASONS.get(error.errno or -1, ((error.strerror or str(error)).lower(), None))
    if error.errno == errno.ENOENT and Path(path).parent.is_dir():
        reason, hint = "this folder takes no new files", "write to a folder of your own"  # /proc, /sys
    return Problem(f"{action}: {reason}", path=str(path), hint=hint)


def is_duckdb_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    """Whether two spellings name one file: samefile sees through symlinks, hard links and letter case on
    case-insensitive file systems; for names that do not exist (yet) compare the resolved, case-folded paths."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)).casefold() == os.path.normcase(os.path.realpath(b)).casefold()


def _project_part(target: Path, project: Path) -> str | None:
    """What of the project's files `target` would overwrite, if any."""
    if _same_file(target, project):
        return "the project file itself"
    if not _same_file(target.parent, project.parent):
        return None
    name, own = target.name.casefold(), project.name.casefold()
    if name == own + ".wal":
        return "the project's write-ahead log (its unsaved changes)"
    if name.startswith(own + _MIGRATION_BACKUP):
        return "a backup of the project"
    if any(name == own + suffix for suffix in _PROJECT_SUFFIXES):
        return "a file qcode keeps beside the project"
    return None


def _protected(target: Path, project: Path | None, overwrite: bool) -> str | None:
    if project is not None:
        part = _project_part(target, Path(project))
        if part:
            return part
    if not overwrite and target.exists():
        return None  # "already exists" says it better
    if target.exists() and is_duckdb_file(target):
        return "a DuckDB database (a qcode project or a backup)"
    if target.name.casefold().endswith(".wal") and is_duckdb_file(target.with_name(target.name[:-4])):
        return "the write-ahead log of a DuckDB database"
    return None


def check_output_path(target: str | os.PathLike[str], project: str | os.PathLike[str] | None = None,
                      *, overwrite: bool = True) -> Path:
    """Refuse a target that is (part of) the project or another database, a folder, or with `overwrite=False` an
    existing file. Returns the path to write: a symlink's destination, so writing through a link keeps the link."""
    target = Path(target)
    refused = _protected(target, Path(project) if project is not None else None, overwrite)
    if refused:
        raise QcodeError(Problem(f"refusing to write over {refused}", path=str(target),
                                 hint="choose another output file name"))
    if target.is_dir():
        raise QcodeError(Problem("this is a folder, not a file", path=str(target),
                                 hint="give a file name inside that folder"))
    if target.exists() and not overwrite:
        raise QcodeError(Problem("the file already exists", path=str(target), hint="choose a new name"))
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}{PARTIAL_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def _remove_stale_partials(target: Path) -> None:
    """Temporary files of earlier writes to `target` whose process is gone (killed mid-write)."""
    prefix = f".{target.name}{PARTIAL_MARK}"
    try:
        candidates = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for candidate in candidates:
        pid = candidate.name[len(prefix):].split("-")[0].removesuffix(".wal")
        if pid.isdigit() and not _process_alive(int(pid)):
            candidate.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _make_folder(target: Path, create_folders: bool) -> None:
    folder = target.parent
    if folder.is_dir():
        return
    if not create_folders:
        raise QcodeError(Problem("the folder does not exist", path=str(target),
                                 hint=f"create {folder} first, or correct the path"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QcodeError(os_error_problem(error, target)) from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: Path, target: Path, overwrite: bool) -> None:
    """Rename the finished temporary file onto the target (atomic on one file system)."""
    if target.exists():
        try:
            os.chmod(partial, stat.S_IMODE(target.stat().st_mode))  # a rewritten export keeps its permissions
        except OSError:
            pass
    if overwrite:
        os.replace(partial, target)
        return
    try:
        os.link(partial, target)  # fails if the target appeared meanwhile: never clobber
    except FileExistsError:
        raise QcodeError(Problem("the file already exists", path=str(target), hint="choose a new name")) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise QcodeError(Problem("the file already exists", path=str(target), hint="choose a new name")) from None
        os.replace(partial, target)
        return
    partial.unlink(missing_ok=True)


@contextmanager
def output_file(target: str | os.PathLike[str], project: str | os.PathLike[str] | None = None, *,
                overwrite: bool = True, create_folders: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write (it does not exist yet); when the block ends normally the
    file is flushed and renamed onto `target`. On any failure the temporary file is removed and `target` is left
    as it was; OS errors become a `QcodeError` naming `target`."""
    requested = Path(target)
    final = check_output_path(requested, project, overwrite=overwrite)
    _make_folder(final, create_folders)
    _remove_stale_partials(final)
    partial = _partial_name(final)
    try:
        yield partial
        if not partial.exists():
            raise QcodeError(Problem("nothing was written", path=str(requested)))
        _fsync(partial)
        check_output_path(requested, project, overwrite=overwrite)  # nothing took the name while we wrote
        _publish(partial, final, overwrite)
    except OSError as error:
        raise QcodeError(os_error_problem(error, requested)) from None
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)


def write_output(target: str | os.PathLike[str], data: bytes | str, project: str | os.PathLike[str] | None = None,
                 *, overwrite: bool = True, create_folders: bool = True) -> Path:
    """Write `data` (str as UTF-8) to `target` whole or not at all; see `output_file`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with output_file(target, project, overwrite=overwrite, create_folders=create_folders) as partial:
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # 0o666: the umask applies
        except OSError as error:
            raise QcodeError(os_error_problem(error, target)) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
    return Path(target)
