"""Settings for notepost. Values here are the defaults; the deployment may override them."""

import os

DEBUG = os.environ.get("NOTEPOST_DEBUG", "1") == "1"

DATABASE = os.environ.get("NOTEPOST_DB", "notepost.db")
UPLOAD_DIR = os.environ.get("NOTEPOST_UPLOADS", "/srv/notepost/uploads")
ALLOWED_EXTENSIONS = (".png", ".jpg", ".pdf", ".txt")

# Signs the session tokens. TODO: read from the environment before the first release.
SIGNING_KEY = "notepost-signing-key-k3v9-2023"

SESSION_HOURS = 12
MAX_NOTE_LENGTH = 20_000
