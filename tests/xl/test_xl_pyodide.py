"""The self-contained Lite main.py in the runtime xlwings Lite uses: Pyodide (WebAssembly), under Node.js, offline.

`radit addin lite` writes the bundle; one Node process (tests/xl/pyodide/runner.mjs) runs Pyodide with the
venv's own xlwings package copied in, imports the bundle, and answers the Evaluate script and the custom
functions through xlwings' script and function machinery, exactly as tests/xl/harness.py does on CPython.
Every answer must equal CPython's. All of it runs once per test run (xdist workers share it under a lock);
the tests assert on the collected answers. Skips only where Node.js is missing; a missing or wrong
`node_modules/pyodide` (run `npm ci`, which `make test` does) fails.
"""
from __future__ import annotations

import copy
import importlib.util
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from harness import run_requests
from payload import book_payload, function_payload
from xl_books import row, write_book

pytestmark = pytest.mark.xlwings_pro
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "seed-2016.xlsx"
DEFAULT_RULES = json.loads((ROOT / "rules" / "default.json").read_text(encoding="utf-8"))


def load_session():
    """tests/xl/pyodide/session.py, imported by path (the folder is not a package)."""
    name = "radit_pyodide_session"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "pyodide" / "session.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# --- the workbooks ---

def _english_book(path: Path) -> Path:
    """An English master workbook: English sheet, headers and settings, one row of each kind."""
    header = ["ID", "Goal code", "Result code", "Unit", "Baseline value", "Forecast 2016", "Achieved 2016",
              "Sample size", "Override", "Justification", "Assessment", "Deviation", "Basis", "Explanation"]
    rows = [
        ["A.1", "A", "A1", "count", None, 36000, 35782, 500],
        ["A.2", "A", "A1", "money", None, 120000, 150000],
        ["A.3", "A", "A1", "percent", None, 19, 17, 1000],
        ["A.4", "A", "A2", "hours", None, "10–12", 11],
        ["A.5", "B", "B1", "milestone", None, 1, 0],
        ["A.6", "B", "B1", "count", None, 24, 30],  # small sample: qualitative
        ["A.7", "B", "B1", "EUR", None, 100, "98,5"],  # an alias, a number typed as text
        ["A.8", "B", "B2", "count", None, 100, 50, 500, "achieved", "Agreed with the ministry."],
        ["A.9", "B", "B2", "percent_change", 10, "+2%", 1.5],
    ]
    return write_book(path, rows, header=header, sheet="Indicators",
                      settings=(("Baseline year", 2012), ("Evaluation year", 2016), ("Language", "en")))


def _embedded(path: Path, doc_or_text: Any) -> Path:
    from workbook.model.rule_choice import embedded_cells

    text = doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text, ensure_ascii=False)
    return write_book(path, [row("A.1", "count", 36000, 35280, n=500), row("A.2", "count", 100, 103, n=500),
                             row("A.3", "count", 100, 90, n=500)],
                      settings=(("Novērtējuma gads", 2016), ("Noteikumu fails", "mine.json")),
                      extra={"radit_rules": embedded_cells(text)})


def _valid_rules() -> dict:
    doc = copy.deepcopy(DEFAULT_RULES)
    doc["statuses"]["achieved"]["symbol"] = "✓"
    doc["statuses"]["achieved"]["colour"] = "#00FF00"
    doc["indicators"] = {"A.2": {"tolerance": {"value": 5, "inclusive": True}, "note": "wider"},
                         "A.3": {"direction": "lower_is_better", "small_sample": {"enabled": False}}}
    return doc


def _invalid_rules() -> dict:
    doc = copy.deepcopy(DEFAULT_RULES)
    doc["tolerance"] = {"value": -1, "inclusive": "yes"}
    doc["statuses"]["worse"]["colour"] = "red"
    doc["statuses"]["better"].pop("label")
    doc["small_sample"]["units"] = ["count", "people", "count"]
    doc["indicators"] = {"A.1": {"direction": "higher", "tolerence": 3}, "": {}}
    doc["toleranse"] = 2
    return doc


def build_books(folder: Path) -> dict[str, Path]:
    """name -> master workbook for every Evaluate case."""
    from bench.generate import generate

    books = {}
    if SAMPLE.is_file():
        books["sample"] = SAMPLE
    books["english"] = _english_book(folder / "english.xlsx")
    books["bad-unit"] = write_book(folder / "bad-unit.xlsx", [row("A.1", "count", 36000, 35280, n=500),
                                                              row("A.2", "furlongs", 10, 12)])
    books["1000-indicators"] = generate(folder / "thousand.xlsx", 1000)
    books["embedded-rules"] = _embedded(folder / "embedded.xlsx", _valid_rules())
    books["invalid-embedded-rules"] = _embedded(folder / "invalid.xlsx", _invalid_rules())
    books["broken-embedded-rules"] = _embedded(folder / "broken.xlsx", '{"tolerance": "x"')
    return books


FUNCTIONS = {
    "assess": ("assess", [36000, 35280]),
    "assess-percent": ("assess", [[[0.19]], [[0.17]], None, "percent", None, 1000]),
    "assess-baseline": ("assess", ["+2%", 10.5, 10, "percent"]),
    "assess-unknown-unit": ("assess", [1, 2, None, "furlongs"]),
    "deviation": ("deviation", [36000, 35782]),
    "deviation-qualitative": ("deviation", [9, 170]),
    "deviation-text": ("deviation", ["35 782", "36 000", None, "skaits", "lower_is_better", 500]),
    "assess-table": ("assess_table", [[["ID", "Unit", "Forecast", "Actual"], ["x", "count", 36000, 35280],
                                       ["y", "percent", 19, 15], ["z", "money", "", 3]]]),
}

# Rule files for check_rules on both sides: the default, and broken ones whose problems sit at every depth.
RULE_DOCS = {
    "default": DEFAULT_RULES,
    "valid-with-indicators": _valid_rules(),
    "invalid": _invalid_rules(),
    "empty": {},
    "not-an-object": ["format_version", 1],
    "wrong-types": {"format_version": "1", "tolerance": [], "units": {"aliases": {"EUR": 3, "": "count"}},
                    "statuses": {"achieved": {"symbol": "", "colour": "#12345", "label": {"lv": "", "en": 1}}}},
    "duplicate-labels": {**copy.deepcopy(DEFAULT_RULES),
                         "statuses": {**DEFAULT_RULES["statuses"],
                                      "worse": {**DEFAULT_RULES["statuses"]["worse"], "symbol": "●"}}},
}


# --- one run of everything, shared by the xdist workers ---

def _shared_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _run_everything(folder: Path) -> dict[str, Any]:
    session_module = load_session()
    try:
        session = session_module.PyodideSession.spawn()  # Pyodide loads while CPython does its part
    except session_module.NodeMissing as missing:
        return {"skip": f"Pyodide tests need Node.js: {missing}"}
    except session_module.PyodideUnavailable as unavailable:
        return {"fail": str(unavailable)}
    try:
        return _both_runtimes(session, folder)
    except session_module.PyodideUnavailable as unavailable:
        return {"fail": str(unavailable)}
    finally:
        session.close()


def _both_runtimes(session, folder: Path) -> dict[str, Any]:
    from workbook.cli.main import run as cli

    lite = folder / "lite"
    err = io.StringIO()
    if cli(["addin", "lite", "-o", str(lite)], io.StringIO(), err) != 0:
        return {"fail": f"radit addin lite failed: {err.getvalue()}"}
    main = (lite / "main.py").read_text(encoding="utf-8")
    books = build_books(folder)
    payloads = {name: book_payload(path) for name, path in books.items()}
    functions = {name: function_payload(f, args) for name, (f, args) in FUNCTIONS.items()}

    scripts = [{"kind": "script", "script": "evaluate", "payload": p} for p in payloads.values()]
    calls = [{"kind": "function", "data": d} for d in functions.values()]
    module = {"module": "main", "path": str(lite)}
    unpack = folder / "cpython-tmp"
    unpack.mkdir(exist_ok=True)
    cpython = run_requests([{"kind": "where", **module}, *({**r, **module} for r in scripts + calls),
                            {"kind": "meta", **module}], env_extra={"TMPDIR": str(unpack)})
    if any("licence" in a for a in cpython):
        return {"skip": f"xlwings PRO code does not load: {cpython[0].get('licence')}"}

    import engine

    session.wait_ready()
    load = session.request({"kind": "load", "main": main})
    answers = session.requests(scripts + calls + [{"kind": "meta"}])
    checked = session.request({"kind": "check_rules", "docs": list(RULE_DOCS.values())})
    probe = session.request({"kind": "probe"})
    network = session.request({"kind": "network"})
    n = len(scripts)
    return {
        "ready": session.ready, "load": load,
        "cpython": {"where": cpython[0], "scripts": dict(zip(payloads, cpython[1:1 + n])),
                    "functions": dict(zip(functions, cpython[1 + n:-1])), "meta": cpython[-1]},
        "pyodide": {"scripts": dict(zip(payloads, answers[:n])), "functions": dict(zip(functions, answers[n:-1])),
                    "meta": answers[-1]},
        "rules": {"pyodide": checked,
                  "cpython": [[[p.json_path, p.message] for p in engine.check_rules(doc)] for doc in RULE_DOCS.values()]},
        "probe": probe, "network": network["network"],
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict[str, Any]:
    import fcntl

    folder = _shared_dir(tmp_path_factory) / "xl-pyodide"
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "answers.json"
    with open(folder / ".lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if not index.exists():
            work = folder / "work"
            work.mkdir(exist_ok=True)
            index.write_text(json.dumps(_run_everything(work), default=str), encoding="utf-8")
    answers = json.loads(index.read_text(encoding="utf-8"))
    if "skip" in answers:
        pytest.skip(answers["skip"])
    if "fail" in answers:
        pytest.fail(answers["fail"], pytrace=False)
    return answers


# --- the runtime ---

def test_pyodide_is_the_pinned_version_with_python_3_12_or_3_13(run):
    ready = run["ready"]
    assert ready["pyodide"] == load_session().pinned_version()
    assert ready["platform"] == "emscripten" and ready["python"].split(".")[:2] in (["3", "12"], ["3", "13"])


def test_xlwings_loads_in_pyodide_with_its_pro_engines_and_no_stand_ins(run):
    import xlwings

    ready = run["ready"]
    assert (ready["xlwings"], ready["pro"]) == (xlwings.__version__, True)
    assert all(".so" in name or ".pyd" in name for name in ready["skipped"])  # only CPython's compiled xlwingslib


def test_the_bundle_runs_from_its_own_unpacked_copy_in_pyodide(run):
    load = run["load"]
    assert "error" not in load, load
    assert load["module"] == "/home/pyodide/lite/main.py"
    assert load["engine"].startswith("/tmp/radit-") and load["workbook.excel"].startswith("/tmp/radit-")


# --- Evaluate and the functions: Pyodide answers what CPython answers ---

BOOKS = ["sample", "english", "bad-unit", "1000-indicators", "embedded-rules", "invalid-embedded-rules",
         "broken-embedded-rules"]


_TEMP_RULES = re.compile(r"[^\s'\"]*/radit-rules-[^/\s]+/")
_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def _same_run(actions):
    """What differs between any two runs, whatever the runtime, made equal: the fresh temporary folder an
    embedded rule file is loaded from (named in the alert) and the time of the evaluation (in the summary)."""
    if isinstance(actions, str):
        return _TIMESTAMP.sub("<time>", _TEMP_RULES.sub("<tmp>/radit-rules-…/", actions))
    if isinstance(actions, list):
        return [_same_run(a) for a in actions]
    if isinstance(actions, dict):
        return {k: _same_run(v) for k, v in actions.items()}
    return actions


@pytest.mark.parametrize("book", BOOKS)
def test_evaluate_gives_the_same_actions_in_pyodide_as_on_cpython(run, book):
    if book not in run["cpython"]["scripts"]:
        pytest.skip(f"{book}: samples/seed-2016.xlsx is not built yet")
    theirs, ours = run["cpython"]["scripts"][book], run["pyodide"]["scripts"][book]
    assert "actions" in theirs, theirs
    assert "actions" in ours, ours
    assert _same_run(ours["actions"]) == _same_run(theirs["actions"])


def _alerts(actions):
    return [a["args"][0] for a in actions if a["func"] == "alert"]


def test_the_books_were_evaluated_not_only_alerted(run):
    scripts = run["pyodide"]["scripts"]
    for book in ("english", "bad-unit", "1000-indicators", "embedded-rules") + (("sample",) if "sample" in scripts else ()):
        assert any(a["func"] == "setValues" and a["sheet_position"] == 0 for a in scripts[book]["actions"]), book
    thousand = [a for a in scripts["1000-indicators"]["actions"] if a["func"] == "setValues" and a["sheet_position"] == 0]
    assert thousand and all(a["row_count"] == 1000 for a in thousand)
    english = {a["args"][1] for a in scripts["english"]["actions"] if a["func"] == "addSheet"}
    assert {"Legend", "Summary"} <= english


def test_a_bad_unit_is_the_same_alert_in_pyodide(run):
    alerts = _alerts(run["pyodide"]["scripts"]["bad-unit"]["actions"])
    assert len(alerts) == 1 and "'Rādītāji'!D3 [unknown-unit]" in alerts[0]


def test_an_embedded_rule_file_is_used_in_pyodide(run):
    actions = run["pyodide"]["scripts"]["embedded-rules"]["actions"]
    assert _alerts(actions) == []
    symbols = [v for a in actions if a["func"] == "setValues" and a["sheet_position"] == 0 for v in a["values"]]
    assert ["✓"] in symbols


@pytest.mark.parametrize("book, where", [
    ("invalid-embedded-rules", ["$.tolerance.value", "$.statuses.worse.colour", "$.indicators['A.1'].direction", "('toleranse' was unexpected)"]),
    ("broken-embedded-rules", ["not valid JSON"]),
])
def test_a_bad_embedded_rule_file_is_only_an_alert_in_pyodide(run, book, where):
    actions = run["pyodide"]["scripts"][book]["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert all(w in actions[0]["args"][0] for w in where), actions[0]["args"][0]


@pytest.mark.parametrize("call", list(FUNCTIONS))
def test_custom_functions_give_the_same_results_in_pyodide_as_on_cpython(run, call):
    theirs = run["cpython"]["functions"][call]
    ours = {k: v for k, v in run["pyodide"]["functions"][call].items() if k != "seconds"}
    assert ("result" in theirs) or call == "assess-unknown-unit", theirs
    assert ours == theirs


def test_scripts_and_functions_are_registered_alike(run):
    ours = {k: v for k, v in run["pyodide"]["meta"].items() if k != "seconds"}
    assert ours == run["cpython"]["meta"]
    assert [s["name"] for s in ours["scripts"]] == ["Evaluate"]


# --- rule files without jsonschema ---

def test_pyodide_checks_rule_files_with_engine_schema_check(run):
    assert run["rules"]["pyodide"]["validator"] == "engine.schema_check"
    radit_misses = {m["module"] for m in run["probe"]["failed_imports"] if m["phase"] == "radit"}
    assert "jsonschema" in radit_misses


@pytest.mark.parametrize("index, name", list(enumerate(RULE_DOCS)))
def test_rule_problems_in_pyodide_are_the_ones_jsonschema_finds_on_cpython(run, index, name):
    assert run["rules"]["pyodide"]["problems"][index] == run["rules"]["cpython"][index]


# --- what Pyodide cannot do is never reached ---

def test_nothing_pyodide_cannot_do_is_reached_on_the_lite_path(run):
    probe = run["probe"]
    assert probe["reached"] == [], probe["reached"]  # no fork, exec, subprocess, thread, socket
    radit_misses = {m["module"] for m in probe["failed_imports"] if m["phase"] == "radit"}
    # Every module radit imports exists in Pyodide, but for two fallbacks by design: jsonschema (engine.schema_check
    # checks instead) and engine.rulefiles (the wheel's name for rules/; the bundle carries the folder itself).
    assert radit_misses <= {"jsonschema", "engine.rulefiles"}, radit_misses
    imported = set(probe["imported_since_xlwings"])
    assert not imported & {"multiprocessing", "concurrent.futures.process", "_posixsubprocess", "ssl", "sqlite3",
                           "lzma", "socket", "asyncio.subprocess"}, sorted(imported)


def test_the_pyodide_run_is_offline(run):
    assert run["network"] == []
