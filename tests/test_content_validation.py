"""Every validation error of docs/formats.md, one small bad file each, with its exact
`path:line` and the part of the message that tells the author what to do."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from companion.content.library import Library, Source, load_library, read_file, validate_paths

BANK = """\
kind: bank
id: design
title: Design questions
questions:
  - id: rate-limiter
    text: Design a rate limiter.
    tags:
      kind: design
      topics: [distributed-systems]
    criteria: [requirements]
  - id: url-shortener
    text: Design a URL shortener.
    tags:
      kind: design
      topics: [storage]
"""

# The bank without its reference to a rubric criterion, to load on its own.
STANDALONE_BANK = BANK.replace("    criteria: [requirements]\n", "")

SIGNALS = """\
kind: signals
id: coding
title: Coding signals
good:
  - id: clarifies
    text: Clarifies inputs first
bad:
  - id: codes-blind
    text: Codes without a plan
"""

RUBRIC = """\
kind: rubric
id: self-score
title: Self score
threshold: 3
criteria:
  - id: requirements
    title: Requirements clarified
    anchors:
      0: Asked nothing.
      1: Asked some.
      2: Pinned everything down.
  - id: tradeoffs
    title: Trade-offs named
    anchors:
      0: None named.
      1: One named.
      2: Several, with a choice.
"""

PLAN = """\
kind: plan
id: mock
title: Mock design round
mode: interview
rubric: self-score
sections:
  - title: Intro
    minutes: 5
    prompts:
      - text: Tell me about yourself.
  - title: Design
    minutes: 40
    signals: coding
    prompts:
      - question: design/rate-limiter
      - query: {bank: design, count: 1, kind: design, topics: [storage]}
"""

LOOP = """\
kind: loop
id: onsite
title: On-site
plans: [mock]
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    _item, problems = read_file(path)
    return [str(p) for p in problems]


def assert_reported(problems: list[str], path: Path, line: int, *fragments: str) -> None:
    """Some problem is at exactly `path:line` and its message holds every fragment."""
    prefix = f"{path}:{line}: "
    at_line = [p for p in problems if p.startswith(prefix)]
    assert at_line, f"nothing reported at {prefix!r}; got {problems}"
    assert any(all(f in p for f in fragments) for p in at_line), (
        f"no problem at {prefix!r} mentions {fragments}; got {at_line}"
    )


def check(tmp_path: Path, text: str | bytes, line: int, *fragments: str) -> list[str]:
    path = write(tmp_path, "content.yaml", text)
    problems = problems_of(path)
    assert_reported(problems, path, line, *fragments)
    return problems


def library(*folders: Path) -> Library:
    return load_library([Source(f"source {n}", (folder,)) for n, folder in enumerate(folders)])


def valid_source(folder: Path, **replace: str) -> Path:
    """A consistent bank, signal set, rubric, plan and loop; `replace` swaps one file."""
    files = {"bank": BANK, "signals": SIGNALS, "rubric": RUBRIC, "plan": PLAN, "loop": LOOP}
    files.update(replace)
    for name, text in files.items():
        write(folder, f"{name}.yaml", text)
    return folder


# --- The fixture content itself is clean -----------------------------------------------------


def test_valid_source_loads_clean(tmp_path: Path) -> None:
    lib = library(valid_source(tmp_path))
    assert lib.problems == []
    assert lib.notices == []
    assert set(lib.plans) == {"mock"}
    assert set(lib.banks) == {"design"}
    assert set(lib.signal_sets) == {"coding"}
    assert set(lib.rubrics) == {"self-score"}
    assert set(lib.loops) == {"onsite"}
    assert lib.plans["mock"].minutes == 45


# --- YAML-level problems ----------------------------------------------------------------------


def test_syntax_error(tmp_path: Path) -> None:
    text = "kind: bank\nid: design\ntitle: [unclosed\nquestions: []\n"
    problems = check(tmp_path, text, 4, "YAML syntax")
    assert len(problems) == 1


def test_duplicate_keys_mention_both_lines(tmp_path: Path) -> None:
    text = BANK.replace("title: Design questions\n", "title: Design questions\nid: other\n")
    check(tmp_path, text, 4, "duplicate key 'id'", "first at line 2")


def test_duplicate_keys_inside_a_question(tmp_path: Path) -> None:
    text = BANK.replace("    text: Design a URL shortener.\n",
                        "    text: Design a URL shortener.\n    text: again\n")
    check(tmp_path, text, 13, "duplicate key 'text'", "first at line 12")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just some words\n", "42\n", "~\n", "null\n"])
def test_top_level_not_a_mapping(tmp_path: Path, text: str) -> None:
    check(tmp_path, text, 1, "top level must be a mapping", "'kind:'")


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    check(tmp_path, text, 1, "the file is empty")


def test_comment_only_file(tmp_path: Path) -> None:
    check(tmp_path, "# a bank, some day\n   # nothing yet\n\n", 1, "the file is empty")


def test_explicit_empty_document(tmp_path: Path) -> None:
    check(tmp_path, "---\n...\n", 1, "the file is empty")


def test_invalid_utf8_reports_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    data = b"kind: bank\nid: design\ntitle: caf\xe9 questions\nquestions: []\n"
    check(tmp_path, data, 3, "invalid UTF-8", "save the file as UTF-8")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + BANK.encode())
    assert problems_of(path) == []


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\ufffe"])
def test_control_characters(tmp_path: Path, char: str) -> None:
    # Non-ASCII text before the bad character: libyaml counts bytes, not characters.
    text = "kind: bank\nid: design\ntitle: Café ünïcode\nquestions:\n" \
           f"  - id: q1\n    text: a{char}b\n  - id: q2\n    text: fine\n"
    check(tmp_path, text, 6, f"U+{ord(char):04X}", "not allowed", "remove it")


# --- Keys and types ---------------------------------------------------------------------------


def test_unknown_key_with_did_you_mean(tmp_path: Path) -> None:
    text = BANK.replace("title:", "titel:")
    problems = check(tmp_path, text, 3, "unknown key 'titel'", "did you mean 'title'?")
    assert_reported(problems, tmp_path / "content.yaml", 1, "missing required key 'title'")


def test_unknown_key_in_a_question(tmp_path: Path) -> None:
    text = BANK.replace("    text: Design a URL shortener.\n",
                        "    text: Design a URL shortener.\n    follow_up: [Why?]\n")
    check(tmp_path, text, 13, "unknown key 'follow_up' in question 'url-shortener'",
          "did you mean 'follow_ups'?")


def test_unknown_key_without_a_close_match_lists_the_allowed_ones(tmp_path: Path) -> None:
    check(tmp_path, LOOP + "zzz: 1\n", 5, "unknown key 'zzz'", "allowed:", "plans")


def test_missing_required_key(tmp_path: Path) -> None:
    text = BANK.split("questions:")[0]
    check(tmp_path, text, 1, "missing required key 'questions' in the bank")


def test_missing_required_key_in_a_question(tmp_path: Path) -> None:
    text = BANK.replace("    text: Design a URL shortener.\n", "")
    check(tmp_path, text, 11, "missing required key 'text' in question 'url-shortener'")


def test_missing_kind(tmp_path: Path) -> None:
    check(tmp_path, "id: design\ntitle: T\n", 1, "missing required key 'kind'", "bank")


def test_text_expected_got_list(tmp_path: Path) -> None:
    text = BANK.replace("text: Design a rate limiter.", "text: [Design, a, rate limiter]")
    check(tmp_path, text, 6, "'text' in question 'rate-limiter' must be text, not a list")


def test_minutes_as_text(tmp_path: Path) -> None:
    text = PLAN.replace("minutes: 5", "minutes: five")
    check(tmp_path, text, 8, "'minutes' in section 'Intro' must be a number",
          "not the text 'five'")


def test_threshold_not_whole(tmp_path: Path) -> None:
    text = RUBRIC.replace("threshold: 3", "threshold: 2.5")
    check(tmp_path, text, 4, "'threshold' in the rubric must be a whole number", "2.5")


def test_a_list_where_a_mapping_is_expected(tmp_path: Path) -> None:
    text = BANK.replace("    tags:\n      kind: design\n      topics: [storage]\n",
                        "    tags: [design, storage]\n")
    check(tmp_path, text, 13, "'tags' of question 'url-shortener' must be a mapping",
          "not a list")


@pytest.mark.parametrize("value", ['""', "'   '", ""])
def test_empty_text(tmp_path: Path, value: str) -> None:
    text = BANK.replace("text: Design a URL shortener.", f"text: {value}")
    check(tmp_path, text, 12, "'text' in question 'url-shortener' is empty", "write the text")


def test_empty_item_in_a_list_of_text(tmp_path: Path) -> None:
    text = BANK.replace("    text: Design a URL shortener.\n",
                        "    text: Design a URL shortener.\n    follow_ups:\n      - ''\n")
    check(tmp_path, text, 14, "an item of 'follow_ups'", "is empty")


@pytest.mark.parametrize("bad", ["Rate_Limiter", "-leading", "has space", "ünï"])
def test_bad_id_format(tmp_path: Path, bad: str) -> None:
    text = BANK.replace("id: rate-limiter", f"id: '{bad}'")
    check(tmp_path, text, 5, f"'{bad}'", "must be lowercase letters, digits and '-'")


def test_bad_file_id_format(tmp_path: Path) -> None:
    check(tmp_path, PLAN.replace("id: mock", "id: Mock Plan"), 2,
          "'id' 'Mock Plan' in the plan must be lowercase")


# --- Duplicate ids ----------------------------------------------------------------------------


def test_duplicate_question_ids(tmp_path: Path) -> None:
    text = BANK.replace("id: url-shortener", "id: rate-limiter")
    check(tmp_path, text, 11, "duplicate question id 'rate-limiter'", "first at line 5")


def test_duplicate_signal_ids_across_good_and_bad(tmp_path: Path) -> None:
    text = SIGNALS.replace("id: codes-blind", "id: clarifies")
    check(tmp_path, text, 8, "duplicate signal id 'clarifies'", "first at line 5")


def test_duplicate_criterion_ids(tmp_path: Path) -> None:
    text = RUBRIC.replace("id: tradeoffs", "id: requirements")
    check(tmp_path, text, 12, "duplicate criterion id 'requirements'", "first at line 6")


def test_duplicate_ids_across_files_in_one_source(tmp_path: Path) -> None:
    first = write(tmp_path, "a-bank.yaml", STANDALONE_BANK)
    second = write(tmp_path, "b-bank.yaml", STANDALONE_BANK.replace("Design questions", "Copy"))
    lib = library(tmp_path)
    problems = [str(p) for p in lib.problems]
    assert_reported(problems, second, 2, "duplicate bank id 'design'",
                    f"also defined at {first}:2", "rename one of them")
    assert lib.banks["design"].title == "Design questions"  # the first one stays


def test_same_id_in_different_kinds_is_fine(tmp_path: Path) -> None:
    valid_source(tmp_path, signals=SIGNALS.replace("id: coding", "id: design"),
                 plan=PLAN.replace("signals: coding", "signals: design"))
    lib = library(tmp_path)
    assert lib.problems == []
    assert "design" in lib.banks and "design" in lib.signal_sets


# --- Dangling references ----------------------------------------------------------------------


def dangling(tmp_path: Path, name: str, text: str) -> tuple[Library, list[str], Path]:
    valid_source(tmp_path, **{name: text})
    lib = library(tmp_path)
    return lib, [str(p) for p in lib.problems], tmp_path / f"{name}.yaml"


def test_plan_names_a_missing_question(tmp_path: Path) -> None:
    lib, problems, path = dangling(tmp_path, "plan",
                                   PLAN.replace("design/rate-limiter", "design/rate-limitr"))
    assert_reported(problems, path, 15, "bank 'design' has no question 'rate-limitr'",
                    "did you mean 'rate-limiter'?")
    assert "mock" not in lib.plans
    assert "onsite" not in lib.loops  # its plan is gone, so it goes too


def test_plan_names_a_missing_bank(tmp_path: Path) -> None:
    _lib, problems, path = dangling(tmp_path, "plan",
                                    PLAN.replace("design/rate-limiter", "desing/rate-limiter"))
    assert_reported(problems, path, 15, "unknown bank 'desing'", "did you mean 'design'?")


def test_query_names_a_missing_bank(tmp_path: Path) -> None:
    _lib, problems, path = dangling(tmp_path, "plan",
                                    PLAN.replace("{bank: design,", "{bank: designs,"))
    assert_reported(problems, path, 16, "unknown bank 'designs'", "did you mean 'design'?")


def test_plan_names_a_missing_signal_set(tmp_path: Path) -> None:
    _lib, problems, path = dangling(tmp_path, "plan",
                                    PLAN.replace("signals: coding", "signals: codng"))
    assert_reported(problems, path, 13, "unknown signal set 'codng'", "did you mean 'coding'?")


def test_plan_names_a_missing_rubric(tmp_path: Path) -> None:
    _lib, problems, path = dangling(tmp_path, "plan",
                                    PLAN.replace("rubric: self-score", "rubric: interviewer"))
    assert_reported(problems, path, 5, "unknown rubric 'interviewer'")


def test_loop_names_a_missing_plan(tmp_path: Path) -> None:
    lib, problems, path = dangling(tmp_path, "loop", LOOP.replace("[mock]", "[mock, mokc-2]"))
    assert_reported(problems, path, 4, "unknown plan 'mokc-2'")
    assert "onsite" not in lib.loops
    assert "mock" in lib.plans


def test_question_names_an_unknown_criterion(tmp_path: Path) -> None:
    lib, problems, path = dangling(tmp_path, "bank",
                                   BANK.replace("[requirements]", "[requirement]"))
    assert_reported(problems, path, 10, "unknown rubric criterion 'requirement'",
                    "did you mean 'requirements'?")
    assert "design" not in lib.banks


def test_every_dangling_reference_of_a_file_is_reported(tmp_path: Path) -> None:
    text = (PLAN.replace("design/rate-limiter", "design/nope")
            .replace("signals: coding", "signals: nope")
            .replace("rubric: self-score", "rubric: nope"))
    _lib, problems, path = dangling(tmp_path, "plan", text)
    assert_reported(problems, path, 5, "unknown rubric 'nope'")
    assert_reported(problems, path, 13, "unknown signal set 'nope'")
    assert_reported(problems, path, 15, "has no question 'nope'")


def test_reference_to_content_left_out_names_why(tmp_path: Path) -> None:
    # The bank has a typo of its own, so it is left out; the plan says so, not "unknown bank".
    bank = BANK.replace("    text: Design a URL shortener.\n",
                        "    text: Design a URL shortener.\n    look_fr: [x]\n")
    _lib, problems, path = dangling(tmp_path, "bank", bank)
    assert_reported(problems, path, 13, "unknown key 'look_fr'", "did you mean 'look_for'?")
    plan = tmp_path / "plan.yaml"
    assert_reported(problems, plan, 15, "bank 'design' was left out because of its problems",
                    f"{path}:2", "fix those first")
    assert not any("unknown bank" in p for p in problems)


def test_query_asks_for_more_questions_than_match(tmp_path: Path) -> None:
    text = PLAN.replace("count: 1, kind: design, topics: [storage]", "count: 3, kind: design")
    lib, problems, path = dangling(tmp_path, "plan", text)
    assert_reported(problems, path, 16, "asks for 3 question(s) of bank 'design'",
                    "only 2 match", "loosen it or add questions")
    assert "mock" not in lib.plans


def test_query_count_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    text = PLAN.replace("count: 1,", "count: 0,")
    check(tmp_path, text, 16, "'count' in the query must be more than 0")


def test_prompt_with_two_forms(tmp_path: Path) -> None:
    text = PLAN.replace("      - text: Tell me about yourself.\n",
                        "      - text: Tell me about yourself.\n        question: design/x\n")
    check(tmp_path, text, 10, "a prompt needs exactly one of")


def test_question_reference_without_a_slash(tmp_path: Path) -> None:
    text = PLAN.replace("question: design/rate-limiter", "question: rate-limiter")
    check(tmp_path, text, 15, "'rate-limiter' is not BANK/QUESTION")


# --- Plans, sections and rubrics --------------------------------------------------------------


@pytest.mark.parametrize("minutes", ["0", "-5", "0.0"])
def test_minutes_must_be_more_than_zero(tmp_path: Path, minutes: str) -> None:
    text = PLAN.replace("minutes: 40", f"minutes: {minutes}")
    check(tmp_path, text, 12, "'minutes' in section 'Design' must be more than 0")


def test_section_without_minutes_in_interview_mode(tmp_path: Path) -> None:
    text = PLAN.replace("    minutes: 5\n", "")
    check(tmp_path, text, 7, "section 'Intro' has no 'minutes'",
          "only checklist plans may leave them out")


def test_section_with_empty_minutes_in_interview_mode(tmp_path: Path) -> None:
    text = PLAN.replace("    minutes: 5\n", "    minutes:\n")
    check(tmp_path, text, 7, "section 'Intro' has no 'minutes'")


def test_section_without_minutes_allowed_in_checklist_mode(tmp_path: Path) -> None:
    text = (PLAN.replace("mode: interview", "mode: checklist")
            .replace("    minutes: 5\n", "").replace("    minutes: 40\n", ""))
    path = write(tmp_path, "content.yaml", text)
    assert problems_of(path) == []
    lib = library(valid_source(tmp_path / "src", plan=text))
    assert lib.problems == []
    assert lib.plans["mock"].minutes == 0
    assert [s.minutes for s in lib.plans["mock"].sections] == [None, None]


def test_plan_without_sections(tmp_path: Path) -> None:
    text = PLAN.split("sections:")[0] + "sections: []\n"
    check(tmp_path, text, 6, "the plan has no sections", "add at least one")


def test_anchor_level_other_than_0_1_2(tmp_path: Path) -> None:
    text = RUBRIC.replace("      2: Pinned everything down.\n",
                          "      2: Pinned everything down.\n      3: Beyond.\n")
    check(tmp_path, text, 12, "anchor level '3' in criterion 'requirements'",
          "is not 0, 1 or 2")


def test_anchor_level_missing(tmp_path: Path) -> None:
    text = RUBRIC.replace("      2: Several, with a choice.\n", "")
    check(tmp_path, text, 15, "criterion 'tradeoffs' has no anchor for level 2",
          "write what a score of that level looks like")


@pytest.mark.parametrize("threshold", ["5", "-1"])
def test_threshold_out_of_range(tmp_path: Path, threshold: str) -> None:
    text = RUBRIC.replace("threshold: 3", f"threshold: {threshold}")
    check(tmp_path, text, 4, f"threshold {threshold} is outside 0-4", "2 points per criterion")


@pytest.mark.parametrize("threshold", ["0", "4"])
def test_threshold_at_the_bounds_is_fine(tmp_path: Path, threshold: str) -> None:
    path = write(tmp_path, "r.yaml", RUBRIC.replace("threshold: 3", f"threshold: {threshold}"))
    assert problems_of(path) == []


def test_unknown_mode_with_did_you_mean(tmp_path: Path) -> None:
    text = PLAN.replace("mode: interview", "mode: interveiw")
    check(tmp_path, text, 4, "mode 'interveiw' is not one of", "did you mean 'interview'?")


def test_unknown_kind_with_did_you_mean(tmp_path: Path) -> None:
    check(tmp_path, BANK.replace("kind: bank", "kind: bnak"), 1,
          "kind 'bnak' is not one of", "did you mean 'bank'?")


def test_unknown_kind_without_close_match_lists_kinds(tmp_path: Path) -> None:
    check(tmp_path, BANK.replace("kind: bank", "kind: widget"), 1,
          "kind 'widget' is not one of bank, signals, rubric, plan, loop")


def test_signal_set_without_signals(tmp_path: Path) -> None:
    check(tmp_path, "kind: signals\nid: coding\ntitle: T\n", 1,
          "neither 'good' nor 'bad'")


def test_bank_without_questions(tmp_path: Path) -> None:
    check(tmp_path, "kind: bank\nid: b\ntitle: T\nquestions: []\n", 4,
          "the bank has no questions")


def test_loop_without_plans(tmp_path: Path) -> None:
    check(tmp_path, LOOP.replace("[mock]", "[]"), 4, "the loop names no plans")


def test_flag_must_be_true_or_false(tmp_path: Path) -> None:
    text = RUBRIC.replace("    title: Trade-offs named\n",
                          "    title: Trade-offs named\n    needs_postmortem: sometimes\n")
    check(tmp_path, text, 14, "'needs_postmortem'", "must be true or false")


# --- Sources, overrides, broken files ---------------------------------------------------------


def test_override_across_sources_gives_a_notice_and_the_later_wins(tmp_path: Path) -> None:
    builtin = valid_source(tmp_path / "builtin")
    user = tmp_path / "user"
    override = write(user, "my-plan.yaml", PLAN.replace("Mock design round", "My own round"))
    lib = library(builtin, user)
    assert lib.problems == []
    assert lib.plans["mock"].title == "My own round"
    notices = [str(n) for n in lib.notices]
    assert_reported(notices, override, 2, "plan 'mock' overrides the one at",
                    f"{builtin / 'plan.yaml'}:2", "(source 0)")
    assert len(notices) == 1


def test_a_broken_override_leaves_the_earlier_definition_in_place(tmp_path: Path) -> None:
    builtin = valid_source(tmp_path / "builtin")
    user = tmp_path / "user"
    write(user, "my-plan.yaml", PLAN.replace("Mock design round", "Mine\nbogus: 1"))
    lib = library(builtin, user)
    assert_reported([str(p) for p in lib.problems], user / "my-plan.yaml", 4,
                    "unknown key 'bogus'")
    assert lib.plans["mock"].title == "Mock design round"


def test_an_override_with_a_dangling_reference_gives_way_to_the_earlier_one(
    tmp_path: Path,
) -> None:
    builtin = valid_source(tmp_path / "builtin")
    user = tmp_path / "user"
    write(user, "my-bank.yaml", BANK.replace("[requirements]", "[no-such-criterion]"))
    lib = library(builtin, user)
    assert_reported([str(p) for p in lib.problems], user / "my-bank.yaml", 10,
                    "unknown rubric criterion 'no-such-criterion'")
    # The built-in bank is back, so the built-in plan and loop that use it still load.
    assert lib.banks["design"].where is not None
    assert lib.banks["design"].where.path == str(builtin / "bank.yaml")
    assert "mock" in lib.plans and "onsite" in lib.loops


def test_a_broken_file_is_left_out_while_others_load(tmp_path: Path) -> None:
    valid_source(tmp_path)
    broken = write(tmp_path, "zz-broken.yaml", "kind: bank\nid: other\ntitle: [oops\n")
    lib = library(tmp_path)
    assert [p.path for p in lib.problems] == [str(broken)]
    assert set(lib.plans) == {"mock"} and set(lib.banks) == {"design"}
    assert "other" not in lib.banks
    assert broken in lib.files


def test_non_yaml_files_are_ignored(tmp_path: Path) -> None:
    valid_source(tmp_path)
    write(tmp_path, "README.md", "# not content: [\n")
    write(tmp_path, "notes.txt", "\x00\x01")
    lib = library(tmp_path)
    assert lib.problems == []


def test_yml_extension_is_loaded(tmp_path: Path) -> None:
    write(tmp_path, "bank.yml", STANDALONE_BANK)
    assert set(library(tmp_path).banks) == {"design"}


def test_several_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    text = """\
    kind: plan
    id: Bad_Plan
    title: ''
    mode: interview
    sections:
      - title: Intro
        minutes: 0
        guidanse: Be nice.
      - title: Design
        minutes: ten
    """
    path = write(tmp_path, "plan.yaml", text)
    problems = problems_of(path)
    assert_reported(problems, path, 2, "must be lowercase")
    assert_reported(problems, path, 3, "'title' in the plan is empty")
    assert_reported(problems, path, 7, "must be more than 0")
    assert_reported(problems, path, 8, "unknown key 'guidanse'", "did you mean 'guidance'?")
    assert_reported(problems, path, 10, "must be a number")
    assert len(problems) == 5


def test_problems_are_path_line_message(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.yaml", PLAN.replace("mode: interview", "mode: exam"))
    for problem in problems_of(path):
        prefix, line, message = problem.split(":", 2)
        assert prefix == str(path)
        assert int(line) >= 1
        assert message.startswith(" ") and message.strip()


def test_unreadable_path_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "missing.yaml")
    assert_reported(problems, tmp_path / "missing.yaml", 1, "cannot read the file")


def test_validate_paths_checks_a_file_in_a_loaded_folder_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate banks/x.yaml` (relative) on a file already loaded from banks/ must not load it
    a second time, which would report it overriding itself."""
    source = valid_source(tmp_path / "src")
    monkeypatch.chdir(tmp_path)
    lib = validate_paths([Path("src/plan.yaml")], [Source("built-in", (source.resolve(),))])
    assert lib.problems == [] and lib.notices == []
    assert "mock" in lib.plans


def test_validate_paths_reports_only_the_given_files(tmp_path: Path) -> None:
    source = valid_source(tmp_path / "src")
    write(source, "zz-broken.yaml", "kind: bank\n")
    elsewhere = write(tmp_path / "elsewhere", "plan.yaml",
                      PLAN.replace("id: mock", "id: mine").replace("rubric: self-score",
                                                                   "rubric: self-scor"))
    lib = validate_paths([elsewhere, elsewhere], [Source("built-in", (source,))])
    problems = [str(p) for p in lib.problems]
    assert_reported(problems, elsewhere, 5, "unknown rubric 'self-scor'",
                    "did you mean 'self-score'?")
    assert len(problems) == 1  # not the broken built-in, and the file only once
