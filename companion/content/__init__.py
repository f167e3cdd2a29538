"""Content: the YAML files of banks, signal sets, rubrics, plans and loops, read safely
(`yamlsafe`), checked and resolved (`library`), kept in a marshal cache (`cache`), with the
file positions of problems (`located`).

May import: the model and the standard library, PyYAML (only `yamlsafe`, and only on a cold
start). Never Textual, SQLite or the store."""
