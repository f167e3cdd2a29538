"""Where the user's files live (config, data, cache), from platformdirs and COMPANION_DB.
Functions, not module globals: each call reads the environment as it is then."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import platformdirs

APP_NAME = "companion"


def user_config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME)


def user_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def default_db_path() -> Path:
    env = os.environ.get("COMPANION_DB")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "companion.db"


def user_cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME)


def private_dir(path: Path) -> None:
    """Create the folder `path`, and any missing parents, with mode 0700 whatever the umask
    (they hold candidate data, the team key, or what is cached from it). Folders that are
    already there are left as they are. Raises OSError like mkdir: FileExistsError when
    `path` is a file, NotADirectoryError when one of its parents is."""
    missing: list[Path] = []
    nearest = path
    while not nearest.exists() and nearest != nearest.parent:
        missing.append(nearest)
        nearest = nearest.parent
    if not nearest.is_dir():
        if nearest == path:
            raise FileExistsError(errno.EEXIST, "a file, not a folder", str(path))
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(nearest))
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by another process just now: theirs to keep
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask; 0700 only ever
        # loses bits, but a umask of 0 must not make it wider either


def exposure_warning(path: Path, what: str) -> str | None:
    """Words for a private file (the database, its -wal/-shm, the team key) that other users
    can read or write, with the chmod that fixes it; None when it is private or missing."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        return None
    if not mode & 0o077:
        return None
    how = "read" if mode & 0o044 else "written"
    return (f"{what} {path} can be {how} by other users (mode {mode:o}); run "
            f"`chmod 600 {path}`")
