"""Practising alone: the questions drawn for a practice session (`draws`) and the trend
over past sessions (`stats`).

May import: content, the store, the session and the model. Never Textual or the CLI."""
