"""Parse one YAML file into plain values that remember their line numbers.

Safe by construction: we only read the parser's events and build dicts, lists and scalars
ourselves, so no tag can run code. Anything beyond plain YAML (tags, anchors and aliases, merge
keys, very deep nesting) is reported, not followed."""

from __future__ import annotations

from typing import Any

import yaml

from companion.content.located import LList, LMap, Problem, clip

__all__ = ["LList", "LMap", "Problem", "parse_bytes", "parse_text"]

MAX_DEPTH = 50
DEPTH_MESSAGE = f"nesting deeper than {MAX_DEPTH} levels; flatten this content"
# How parsers word their own nesting limits ("exceeded maximum nesting depth" in libyaml).
_DEPTH_WORDS = ("nesting depth", "nesting level", "too deep", "recursion")


def _is_depth_limit(what: str) -> bool:
    lowered = what.lower()
    return any(words in lowered for words in _DEPTH_WORDS)

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_IMPLICIT = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                       "tag:yaml.org,2002:bool", _NULL, _TIMESTAMP})
_BAD_KEY = object()  # a key we reported: its value is read (for its problems) and dropped
_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent,
                yaml.MappingStartEvent)


class _Builder:
    """Turns the parser's events straight into LMap / LList / scalars.

    Working on events rather than `yaml.compose` matters for safety: the parser keeps its own
    stack, while libyaml's composer recurses in C and crashes the whole process on ~100,000
    open brackets. Here nesting is cut at MAX_DEPTH before anything deep is built, each anchor
    and alias is reported on the line where it is written (and never expanded), and no tag can
    construct an object. It is also about twice as fast as composing and then converting."""

    def __init__(self, path: str, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.problems: list[Problem] = []
        self._anchor_lines: set[int] = set()
        constructor = yaml.constructor.SafeConstructor()
        self._construct = {
            "tag:yaml.org,2002:int": constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": constructor.construct_yaml_float,
            "tag:yaml.org,2002:bool": constructor.construct_yaml_bool,
            _NULL: constructor.construct_yaml_null,
        }

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def build(self) -> tuple[Any, list[Problem], bool]:
        """(value, problems, empty). Raises only what the parser raises."""
        stack: list[Any] = []  # the open LMaps and LLists, outermost first
        # For each open mapping: [key or _BAD_KEY, key line, expecting a key]; None for a list.
        slots: list[list[Any] | None] = []
        root: Any = None
        empty = True
        documents = 0
        get_event = self.loader.get_event
        while True:
            event = get_event()
            if isinstance(event, _NODE_EVENTS):
                line = event.start_mark.line + 1 if event.start_mark else 1
                if len(stack) > MAX_DEPTH:
                    return None, [Problem(self.path, line, DEPTH_MESSAGE)], False
                if event.anchor is not None and line not in self._anchor_lines:
                    self._anchor_lines.add(line)
                    sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                    self.fail(line, f"anchors and aliases are not allowed ({sign}"
                              f"{clip(event.anchor)}); write the content out")
                if isinstance(event, yaml.ScalarEvent):
                    tag = event.tag
                    if tag is None or tag == "!":
                        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                    if not stack:
                        empty = tag == _NULL and event.value == ""
                    value, is_scalar = self._scalar(tag, event.value, line), True
                elif isinstance(event, yaml.AliasEvent):
                    value, is_scalar, tag = None, False, None
                else:
                    self._open(event, line, stack, slots)
                    continue
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                value = stack.pop()
                slots.pop()
                line, is_scalar, tag = value.line, False, None
                empty = False
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    return None, [Problem(self.path, line, "YAML syntax: a second document "
                                          "('---'); keep one document per file")], False
                continue
            elif isinstance(event, yaml.StreamEndEvent):
                return root, self.problems, empty
            else:
                continue
            if not stack:
                root = value
                continue
            self._attach(stack[-1], slots[-1], value, line, is_scalar, tag, event)

    def _open(self, event: Any, line: int, stack: list[Any], slots: list[Any]) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        tag = event.tag
        if tag is None or tag == "!":
            node_class = yaml.MappingNode if is_map else yaml.SequenceNode
            tag = self.loader.resolve(node_class, None, event.implicit)
        if tag != (_MAP if is_map else _SEQ):
            self.fail(line, f"tags are not allowed here ({clip(tag)}); remove it")
        collection: LMap | LList
        if is_map:
            collection = LMap()
            collection.line, collection.lines, collection.raw = line, {}, {}
            slots.append([None, line, True])
        else:
            collection = LList()
            collection.line, collection.lines, collection.raw = line, [], {}
            slots.append(None)
        stack.append(collection)

    def _attach(
        self, parent: Any, slot: list[Any] | None, value: Any, line: int, is_scalar: bool,
        tag: str | None, event: Any,
    ) -> None:
        # The text as written of a plain scalar YAML typed (a number, true/false, null or a
        # date), so a text field can say "quote it" rather than keep 90 for `1:30`.
        typed = is_scalar and tag in _IMPLICIT and event.value != ""
        if slot is None:
            if typed:
                parent.raw[len(parent)] = event.value
            parent.append(value)
            parent.lines.append(line)
        elif slot[2]:  # this is a key
            slot[2] = False
            slot[1] = line
            slot[0] = _BAD_KEY
            if not is_scalar:
                if not isinstance(event, yaml.AliasEvent):  # an alias is reported already
                    self.fail(line, "a key must be a plain word, not a list or mapping")
            elif tag == _MERGE:
                self.fail(line, "merge keys (<<) are not allowed; write the keys out")
            elif event.value in parent.lines:
                # A key is the text as written: `00:` and `1.10:` stay themselves, `on:` is
                # not 'True' (a text is never changed by YAML's implicit types).
                key = event.value
                self.fail(line, f"duplicate key '{clip(key)}' (first at line "
                          f"{parent.lines[key]}); "
                          "keep one of them")
            else:
                slot[0] = event.value
        else:  # this is the value of the key before it
            slot[2] = True
            if slot[0] is not _BAD_KEY:
                parent.lines[slot[0]] = slot[1]
                parent[slot[0]] = value
                if typed:
                    parent.raw[slot[0]] = event.value

    def _scalar(self, tag: str, value: str, line: int) -> Any:
        # A bare date stays the text typed; `<<` is text too, unless it is a key (see _attach).
        if tag in (_STR, _TIMESTAMP, _MERGE):
            return value
        construct = self._construct.get(tag)
        if construct is None:
            self.fail(line, f"tags are not allowed in content files ({clip(tag)}); remove it")
            return None
        try:
            return construct(yaml.ScalarNode(tag, value))
        except ValueError:  # an int of more than 4,300 digits (Python's guard) or the like
            self.fail(line, f"the number {clip(value, 40)} has too many digits "
                      f"({len(value):,} characters); write a smaller one, or quote it as text")
            return value  # reported on its line: a reader's "missing" would only add noise


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, max(0, position)) + 1


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
    loader = None
    try:
        loader = _SAFE_LOADER(text)
        value, problems, empty = _Builder(path, loader).build()
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
        if _is_depth_limit(what):
            # libyaml (0.2.6, in PyYAML 6.0.4 wheels) stops deep nesting in its scanner before
            # our builder sees the events: one message whichever parser caught it.
            return None, [Problem(path, line, DEPTH_MESSAGE)]
        return None, [Problem(path, line, f"YAML syntax: {what}")]
    except RecursionError:
        return None, [Problem(path, 1, DEPTH_MESSAGE)]
    except yaml.YAMLError as err:
        return None, [Problem(path, 1, f"YAML error: {err}")]
    finally:
        if loader is not None:
            loader.dispose()
    if empty:  # `---` alone, or a document with nothing in it
        return None, [Problem(path, 1, "the file is empty; add content or remove the file")]
    return value, sorted(problems, key=lambda p: p.line)


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
