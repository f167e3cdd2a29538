"""Parse one YAML file into plain values that remember their line numbers.

Safe by construction: we only *compose* (build nodes, never objects) and then turn the nodes
into dicts, lists and scalars ourselves, so no tag can run code. Anything beyond plain YAML
(tags, anchors and aliases, merge keys, very deep nesting) is reported, not followed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_DEPTH = 50
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    # A bare date like 2026-01-31 resolves to a timestamp; we keep it as the text typed.
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __post_init__(self) -> None:
        # One problem, one line: a key or value quoted in the message may hold a line break.
        if not self.message.isprintable():
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
            object.__setattr__(self, "message", shown)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int
    lines: dict[str, int]


class LList(list[Any]):
    """A list that knows its own line and the line of each item."""

    line: int
    lines: list[int]


class _Converter:
    def __init__(self, path: str, report_aliases: bool = True) -> None:
        self.path = path
        self.report_aliases = report_aliases
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._constructor = yaml.constructor.SafeConstructor()

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            self.fail(line, f"nesting deeper than {MAX_DEPTH} levels; flatten this content")
            return None
        if id(node) in self._seen:
            if self.report_aliases:
                self.fail(line, "anchors and aliases (&name / *name) are not allowed; "
                          "write it out")
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, line, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(line, f"tags are not allowed here ({node.tag}); remove it")
            result = LList()
            result.line, result.lines = line, []
            for item in node.value:
                result.append(self.convert(item, depth + 1))
                result.lines.append(item.start_mark.line + 1)
            return result
        return self._scalar(node, line)

    def _scalar(self, node: yaml.Node, line: int) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.fail(line, f"tags are not allowed in content files ({tag}); remove it")
            return None
        if tag in (_STR, "tag:yaml.org,2002:timestamp"):
            return node.value
        method = {
            "tag:yaml.org,2002:int": self._constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": self._constructor.construct_yaml_float,
            "tag:yaml.org,2002:bool": self._constructor.construct_yaml_bool,
            "tag:yaml.org,2002:null": self._constructor.construct_yaml_null,
        }[tag]
        return method(node)  # type: ignore[no-untyped-call]

    def _mapping(self, node: yaml.MappingNode, line: int, depth: int) -> LMap:
        if node.tag != _MAP:
            self.fail(line, f"tags are not allowed here ({node.tag}); remove it")
        result = LMap()
        result.line, result.lines = line, {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_line, "merge keys (<<) are not allowed; write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_line, "a key must be a plain word, not a list or mapping")
                continue
            key = str(self._scalar(key_node, key_line))
            if key in result.lines:
                self.fail(
                    key_line,
                    f"duplicate key '{key}' (first at line {result.lines[key]}); "
                    "keep one of them",
                )
                continue
            result.lines[key] = key_line
            result[key] = self.convert(value_node, depth + 1)
        return result


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, max(0, position)) + 1


_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NODE = (yaml.ScalarEvent, yaml.AliasEvent, *_OPEN)


def _prescan(text: str, path: str) -> tuple[list[Problem], bool]:
    """Walk the parser's events before composing: the parser keeps its own stack, so this
    never recurses. Stops at nesting deeper than MAX_DEPTH (libyaml's composer recurses in C
    and crashes the process on ~100,000 open brackets) and reports every anchor and alias on
    the line where it is written. Returns (problems, too_deep)."""
    problems: list[Problem] = []
    reported: set[int] = set()
    depth = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, _NODE):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if depth > MAX_DEPTH:
                return [Problem(path, line, f"nesting deeper than {MAX_DEPTH} levels; "
                                "flatten this content")], True
            if event.anchor is not None and line not in reported:
                reported.add(line)
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                problems.append(Problem(path, line, f"anchors and aliases are not allowed "
                                        f"({sign}{event.anchor}); write the content out"))
            if isinstance(event, _OPEN):
                depth += 1
        elif isinstance(event, _CLOSE):
            depth -= 1
    return problems, False


def _bad_character(text: str, character: Any) -> tuple[int, str]:
    """The line of a character the YAML reader refused, and how to name it. libyaml gives a
    byte offset, the Python reader a character offset: find the character itself instead."""
    char = chr(character) if isinstance(character, int) else str(character or "")
    position = text.find(char) if char else -1
    name = f"U+{ord(char):04X}" if len(char) == 1 else repr(char)
    return _line_of(text, position), name


def parse_text(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text into LMap / LList / scalars, or report why not. Never raises."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [Problem(path, 1, "the file is empty; add content or remove the file")]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate: only possible from str input
        return None, [Problem(path, _line_of(text, err.start), f"character "
                              f"U+{ord(text[err.start]):04X} is not valid Unicode; remove it")]
    try:
        alias_problems, too_deep = _prescan(text, path)
        if too_deep:
            return None, alias_problems
        node = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.reader.ReaderError as err:
        line, name = _bad_character(text, err.character)
        return None, [
            Problem(
                path,
                line,
                f"character {name} (a control or non-printable character) is not allowed "
                "in YAML; remove it",
            )
        ]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = err.problem or err.context or "invalid YAML"
        return None, [Problem(path, line, f"YAML syntax: {what}")]
    except RecursionError:
        return None, [Problem(path, 1, f"nesting deeper than {MAX_DEPTH} levels; flatten it")]
    except yaml.YAMLError as err:
        return None, [Problem(path, 1, f"YAML error: {err}")]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value == ""
                        and node.tag == "tag:yaml.org,2002:null"):  # also `---` alone
        return None, [Problem(path, 1, "the file is empty; add content or remove the file")]
    converter = _Converter(path, report_aliases=not alias_problems)
    try:
        value = converter.convert(node)
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops us long before
        return None, [Problem(path, 1, f"nesting deeper than {MAX_DEPTH} levels; flatten it")]
    problems = sorted(alias_problems + converter.problems, key=lambda p: p.line)
    return value, problems


def parse_bytes(data: bytes, path: str) -> tuple[Any, list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return None, [
            Problem(path, line, f"invalid UTF-8 (byte 0x{data[err.start]:02X} at column "
                    f"{column}); save the file as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_text(text, path)
