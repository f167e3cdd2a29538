"""Exports: plans and sessions as Markdown, JSON, CSV and HTML. No Textual here."""
