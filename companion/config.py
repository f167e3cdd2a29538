"""Where things live: the database path and the content sources, resolved once from the
command line and the environment, then passed down. No module globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from companion.content import Library, Source

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


@dataclass
class Config:
    """The database and the content folders named by the common options (None: defaults)."""

    db: Path | None = None
    banks: list[Path] = field(default_factory=list)
    plans: list[Path] = field(default_factory=list)
    config_dir: Path | None = None

    @property
    def db_path(self) -> Path:
        return self.db if self.db is not None else default_db_path()

    def sources(self) -> list[Source]:
        from companion.content import content_sources  # not for commands without content

        return content_sources(self.config_dir or user_config_dir(), self.banks, self.plans)

    def library(self) -> Library:
        from companion.content_cache import load_library_cached

        return load_library_cached(self.sources(), platformdirs.user_cache_path(APP_NAME))
