"""The Textual app. It talks to the domain (session, store, content) through plain calls;
it never speaks SQL and never parses YAML."""
