"""Where the user's files live (config, data, cache), from platformdirs and COMPANION_DB.
Functions, not module globals: each call reads the environment as it is then."""

from __future__ import annotations

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
