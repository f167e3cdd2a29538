"""Where things live: the database path and the content sources, resolved once from the
command line and the environment, then passed down. No module globals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from companion.paths import APP_NAME, default_db_path, user_config_dir, user_data_dir

__all__ = ["APP_NAME", "Config", "default_db_path", "user_config_dir", "user_data_dir"]


if TYPE_CHECKING:
    from companion.content.library import Library, Source

class Config:
    """The database and the content folders named by the common options (None: defaults).
    A plain class, not a dataclass: every command makes one, and generating a dataclass's
    methods costs a quick command such as `sessions --json` about half a millisecond."""

    __slots__ = ("banks", "config_dir", "db", "plans")

    def __init__(self, db: Path | None = None, banks: list[Path] | None = None,
                 plans: list[Path] | None = None, config_dir: Path | None = None) -> None:
        self.db = db
        self.banks = banks if banks is not None else []
        self.plans = plans if plans is not None else []
        self.config_dir = config_dir

    def __repr__(self) -> str:
        return (f"Config(db={self.db!r}, banks={self.banks!r}, plans={self.plans!r}, "
                f"config_dir={self.config_dir!r})")

    @property
    def db_path(self) -> Path:
        return self.db if self.db is not None else default_db_path()

    def sources(self) -> list[Source]:
        from companion.content.library import content_sources  # not for commands without content

        return content_sources(self.config_dir or user_config_dir(), self.banks, self.plans)

    def library(self) -> Library:
        from companion.content.cache import load_library_cached

        return load_library_cached(self.sources(), platformdirs.user_cache_path(APP_NAME))
