"""What the benchmarks that start `companion` as a process need first: the package's
bytecode, as `pip install .` writes it. An editable install under PYTHONDONTWRITEBYTECODE
(set on some machines) would compile every module of ours at each start, about 60 ms
that no installed copy pays."""

from __future__ import annotations

import compileall
from pathlib import Path

import companion


def compile_package() -> None:
    compileall.compile_dir(Path(companion.__file__).parent, quiet=1)
