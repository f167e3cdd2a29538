"""Hostile or garbled YAML is reported as `path:line: message`, never executed, never a crash,
and never slow."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.content import yamlsafe
from companion.content.library import read_file
from companion.content.yamlsafe import MAX_DEPTH, LList, LMap, parse_bytes, parse_text

VALID = """\
kind: bank
id: design
title: Design questions
description: >-
  Open problems, folded
  over two lines.
questions:
  - id: rate-limiter
    text: "Design a rate limiter: arr[i] stays as typed."
    follow_ups:
      - What if the store is down?
    look_for: [Asks about traffic first]
    tags:
      kind: design
      minutes: 25
      topics: [caching, storage]
"""

VALID_PLAN = """\
kind: plan
id: mock
title: Mock
mode: checklist
sections:
  - title: Intro
    prompts:
      - text: Hello
        follow_ups: [Why?]
  - title: Design
    minutes: 10
    prompts:
      - question: design/rate-limiter
      - query: {bank: design, count: 1}
"""

# Both loaders: the C one (used when libyaml is there) and the pure-Python fallback.
LOADERS = [
    pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="default-loader"),
    pytest.param(yaml.SafeLoader, id="python-loader"),
]


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(yamlsafe, "_SAFE_LOADER", request.param)
    return request.param


def lines_of(problems: list[Any]) -> list[int]:
    return [p.line for p in problems]


def timed(text: str) -> tuple[Any, list[Any], float]:
    start = time.perf_counter()
    value, problems = parse_text(text, "f.yaml")
    return value, problems, time.perf_counter() - start


# --- Tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/object:os.system",
    ],
)
def test_python_object_tags_are_reported_and_never_run(
    tmp_path: Path, loader: Any, tag: str
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f"kind: bank\nid: design\ntitle: T\nquestions:\n"
        f"  - id: q\n    text: {tag} ['touch {marker}']\n",
        encoding="utf-8",
    )
    item, problems = read_file(path)
    assert item is None
    assert [str(p) for p in problems] == [
        f"{path}:6: tags are not allowed here (tag:yaml.org,2002:{tag[2:]}); remove it"
    ]
    assert not marker.exists()


def test_python_name_tag_on_a_scalar_is_reported(loader: Any) -> None:
    value, problems = parse_text("kind: !!python/name:os.system ''\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:1: tags are not allowed in content files "
        "(tag:yaml.org,2002:python/name:os.system); remove it"
    ]
    assert value == {"kind": None}


@pytest.mark.parametrize("text, line", [
    ("kind: bank\ntitle: !include other.yaml\n", 2),
    ("kind: bank\nquestions: !include [a.yaml, b.yaml]\n", 2),
    ("kind: bank\ntags: !env {stage: x}\n", 2),
    ("--- !bank\nkind: bank\n", 1),
])
def test_unknown_tags_are_reported(loader: Any, text: str, line: int) -> None:
    _value, problems = parse_text(text, "f.yaml")
    assert lines_of(problems) == [line]
    assert "tags are not allowed" in problems[0].message
    assert "remove it" in problems[0].message


def test_standard_scalars_resolve_to_plain_values(loader: Any) -> None:
    value, problems = parse_text(
        "a: 1\nb: 2.5\nc: true\nd: ~\ne: 2026-01-31\nf: 'arr[i]'\n0: zero\n", "f.yaml"
    )
    assert problems == []
    assert value == {"a": 1, "b": 2.5, "c": True, "d": None, "e": "2026-01-31",
                     "f": "arr[i]", "0": "zero"}
    assert isinstance(value, LMap) and value.lines == {
        "a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "0": 7}


# --- Anchors, aliases, merge keys -----------------------------------------------------------


def test_merge_key_sign_as_a_value_is_just_text(loader: Any) -> None:
    value, problems = parse_text("a: <<\nb: [<<]\n", "f.yaml")
    assert problems == []
    assert value == {"a": "<<", "b": ["<<"]}


def test_the_value_of_a_rejected_key_is_still_checked(loader: Any) -> None:
    _value, problems = parse_text("a:\n  b: 1\na:\n  c: 1\n  c: 2\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:3: duplicate key 'a' (first at line 1); keep one of them",
        "f.yaml:5: duplicate key 'c' (first at line 4); keep one of them",
    ]


def test_anchor_and_alias_are_reported_where_written(loader: Any) -> None:
    value, problems = parse_text("a: &x hello\nb: 1\nc: *x\n", "f.yaml")
    assert lines_of(problems) == [1, 3]
    assert "&x" in problems[0].message and "*x" in problems[1].message
    assert all("anchors and aliases are not allowed" in p.message for p in problems)
    assert value["c"] is None  # nothing shared is handed on


def test_an_unused_anchor_is_reported(loader: Any) -> None:
    _value, problems = parse_text("a: 1\nb: &unused [1, 2]\n", "f.yaml")
    assert lines_of(problems) == [2]


@pytest.mark.parametrize("text, line", [
    ("base: {a: 1}\nmine:\n  <<: {b: 2}\n  c: 3\n", 3),
    ("mine:\n  <<: [{a: 1}, {b: 2}]\n", 2),
])
def test_merge_keys_are_rejected(loader: Any, text: str, line: int) -> None:
    value, problems = parse_text(text, "f.yaml")
    assert [str(p) for p in problems] == [
        f"f.yaml:{line}: merge keys (<<) are not allowed; write the keys out"
    ]
    assert "<<" not in value["mine"]


def test_merge_key_with_alias_is_rejected(loader: Any) -> None:
    _value, problems = parse_text("base: &b {a: 1}\nmine:\n  <<: *b\n", "f.yaml")
    messages = [str(p) for p in problems]
    assert "f.yaml:3: merge keys (<<) are not allowed; write the keys out" in messages
    assert any(m.startswith("f.yaml:1: anchors and aliases") for m in messages)


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        refs = ", ".join([f"*l{n - 1}"] * 9)
        lines.append(f"l{n}: &l{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_reported_quickly(loader: Any) -> None:
    text = billion_laughs()
    value, problems, seconds = timed(text)
    assert seconds < 1.0
    # One problem per line, not one per expanded alias.
    assert lines_of(problems) == list(range(1, 11))
    assert all("anchors and aliases are not allowed" in p.message for p in problems)
    assert repr(value).count("lol") == 9  # nothing was expanded


def test_alias_bomb_through_read_file(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text("kind: bank\nid: lol\ntitle: LOL\n" + billion_laughs(), encoding="utf-8")
    start = time.perf_counter()
    item, problems = read_file(path)
    assert time.perf_counter() - start < 1.0
    assert item is None
    assert problems and all(str(p).startswith(f"{path}:") for p in problems)


# --- Deep nesting ---------------------------------------------------------------------------


DEEP = {
    "flow-list": "[" * 10_000 + "]" * 10_000,
    "flow-list-unclosed": "[" * 10_000,
    "flow-map": "{a: " * 10_000 + "}" * 10_000,
    "flow-mixed": "[{a: " * 5_000 + "}]" * 5_000,
    "block-compact-list": "- " * 10_000 + "x\n",
    "block-indented-map": "".join(" " * n + "a:\n" for n in range(2_000)) + " " * 2_000 + "x\n",
    "block-indented-list": "".join(" " * n + "-\n" for n in range(2_000)),
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_is_reported_without_recursion_error(loader: Any, name: str) -> None:
    value, problems, seconds = timed(DEEP[name])
    assert seconds < 1.0
    assert value is None
    assert len(problems) == 1
    assert "nesting deeper than 50 levels" in problems[0].message
    assert "flatten" in problems[0].message


@pytest.mark.parametrize("depth", [51, 60, 999, 1_000, 1_001, 5_000, 100_000])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_one_message_for_deep_nesting_whichever_parser_stops_it(
    loader: Any, depth: int, shape: str
) -> None:
    """libyaml 0.2.6 stops flow nesting past 1,000 levels in its scanner, with its own words;
    the user sees our message at every depth, on the line where the nesting starts."""
    if shape == "flow":
        text = "items:\n  - " + "[" * depth + "x" + "]" * depth + "\n"
        line = 2
    else:
        depth = min(depth, 2_000)  # block nesting needs one line a level
        text = "items:\n" + "".join(" " * (n + 1) + "-\n" for n in range(depth))
        line = 2 + MAX_DEPTH  # the map is level 1, the list on line 2 level 2
    _value, problems = parse_text(text, "deep.yaml")
    assert [str(p) for p in problems] == [
        f"deep.yaml:{line}: nesting deeper than 50 levels; flatten this content"]


def test_nesting_of_fifty_levels_is_fine(loader: Any) -> None:
    value, problems = parse_text("[" * 50 + "x" + "]" * 50, "f.yaml")
    assert problems == []
    for _ in range(50):
        assert isinstance(value, LList)
        value = value[0]
    assert value == "x"


def test_nesting_of_fifty_one_levels_is_reported(loader: Any) -> None:
    _value, problems = parse_text("[" * 51 + "x" + "]" * 51, "f.yaml")
    assert [p.message for p in problems] == [
        "nesting deeper than 50 levels; flatten this content"]


def test_very_deep_flow_nesting_does_not_crash_the_process() -> None:
    """libyaml's composer recurses in C: 100,000 open brackets used to kill the interpreter
    with a segfault. Run in a child process so a regression fails this test, not the run."""
    code = (
        "import time; from companion.content.yamlsafe import parse_text; n = 100_000; "
        "start = time.perf_counter(); _v, p = parse_text('[' * n + ']' * n, 'f.yaml'); "
        "assert time.perf_counter() - start < 1.0; "
        "assert p[0].message.startswith('nesting deeper than 50 levels'), p"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, (result.returncode, result.stderr)


# --- Odd text -------------------------------------------------------------------------------


def test_lone_surrogate_in_text_is_reported(loader: Any) -> None:
    _value, problems = parse_text("a: 1\nb: x\ud800y\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:2: character U+D800 is not valid Unicode; remove it"]


def test_several_documents_are_a_syntax_error(loader: Any) -> None:
    _value, problems = parse_text("a: 1\n---\nb: 2\n", "f.yaml")
    assert len(problems) == 1
    assert problems[0].message.startswith("YAML syntax:")


def test_tab_indentation_is_a_syntax_error_on_its_line(loader: Any) -> None:
    _value, problems = parse_text("a:\n  b: 1\n\tc: 2\n", "f.yaml")
    assert lines_of(problems) == [3]


def test_a_list_or_mapping_as_key_is_reported(loader: Any) -> None:
    _value, problems = parse_text("? [a, b]\n: 1\nc: 2\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:1: a key must be a plain word, not a list or mapping"]


def test_invalid_utf8_line(loader: Any) -> None:
    _value, problems = parse_bytes("a: é\nb: ok\nc: \xff\n".encode("latin-1"), "f.yaml")
    assert [p.line for p in problems] == [1]
    _value, problems = parse_bytes(b"a: 1\nb: ok\nc: \xff\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:3: invalid UTF-8 (byte 0xFF at column 4); save the file as UTF-8"]


def test_a_line_break_inside_a_quoted_key_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text('kind: bank\n"ti\\ntle": x\n', encoding="utf-8")
    _item, problems = read_file(path)
    assert f"{path}:2: unknown key 'ti\\ntle' in the bank; did you mean 'title'?" in [
        str(p) for p in problems]
    assert all("\n" not in str(p) for p in problems)


# --- Fuzzing --------------------------------------------------------------------------------

PROBLEM = re.compile(r"^f\.yaml:[1-9]\d*: .+$")
PLAIN = (LMap, LList, str, int, float, bool, type(None))


def assert_well_formed(value: Any, problems: list[Any], path: str = "f.yaml") -> None:
    pattern = PROBLEM if path == "f.yaml" else re.compile(rf"^{re.escape(path)}:[1-9]\d*: .+$")
    for problem in problems:
        assert pattern.match(str(problem)), str(problem)
    stack = [value]
    while stack:  # only plain values come out, whatever went in
        item = stack.pop()
        assert isinstance(item, PLAIN), type(item)
        if isinstance(item, LMap):
            assert all(isinstance(k, str) for k in item)
            stack.extend(item.values())
        elif isinstance(item, LList):
            stack.extend(item)


YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc-: \n\t[]{},&*!<>|'\"#%@`?~.0123456789\x00\x07é😀\ufeff")),
    max_size=300,
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([VALID, VALID_PLAN]))
    for _ in range(draw(st.integers(1, 5))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines"]))
        if action == "insert":
            text = text[:at] + draw(YAMLISH.filter(lambda s: len(s) < 20)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            lines = text.splitlines(keepends=True)
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if action == "duplicate-line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


FUZZ = settings(deadline=None, max_examples=200,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=500))
def test_fuzz_random_text(text: str) -> None:
    value, problems = parse_text(text, "f.yaml")
    assert_well_formed(value, problems)


@FUZZ
@given(YAMLISH)
def test_fuzz_yaml_like_text(text: str) -> None:
    value, problems = parse_text(text, "f.yaml")
    assert_well_formed(value, problems)


@FUZZ
@given(st.binary(max_size=500))
def test_fuzz_random_bytes(data: bytes) -> None:
    value, problems = parse_bytes(data, "f.yaml")
    assert_well_formed(value, problems)


@FUZZ
@given(mutated())
def test_fuzz_mutated_valid_yaml(text: str) -> None:
    value, problems = parse_bytes(text.encode("utf-8", "surrogatepass"), "f.yaml")
    assert_well_formed(value, problems)


@FUZZ
@given(data=st.one_of(mutated().map(lambda t: t.encode("utf-8")), st.binary(max_size=300)))
def test_fuzz_read_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "content.yaml"
    path.write_bytes(data)
    item, problems = read_file(path)
    assert_well_formed(None, problems, str(path))
    if not problems:
        assert item is not None
