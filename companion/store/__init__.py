"""The SQLite store: the only code that speaks SQL (`database`, with the listing rows in
`listing` and the schema's history in `migrations`), and the search results built on its
full-text index (`search`).

May import: the event record, the clock and the standard library, sqlite3 and sqlite-utils.
Never Textual, YAML or the content."""
