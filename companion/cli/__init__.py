"""The `companion` command (click): `root` holds the group and registers the commands,
`common` the helpers they share, one module per command group (`content`, `sessions`,
`export`, `panel`), `launch` the app factory that the commands and the tests use, `config`
the paths and sources resolved from the options.

May import everything below it. Only `launch` imports the TUI, and only when an app opens."""
