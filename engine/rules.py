"""Load a JSON rule file, validate it against rules/schema.json, and answer what it says per indicator."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from engine.errors import RuleFileError, RuleProblem
from engine.status import DIRECTIONS, UNITS, Status

_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
SETTING_KEYS = ("tolerance", "percent_deviation", "relative_to_baseline", "small_sample", "direction")


def rules_path(name: str) -> Path:
    """rules/NAME in the source tree, or in the installed package `engine.rulefiles` (the same folder in a wheel)."""
    local = _RULES_DIR / name
    if local.is_file():
        return local
    from importlib.resources import files

    try:
        return Path(str(files("engine.rulefiles") / name))
    except (ModuleNotFoundError, NotADirectoryError):  # neither: report the source tree's path
        return local


@dataclass(frozen=True, slots=True)
class SmallSample:
    enabled: bool
    threshold: Decimal
    inclusive: bool
    units: frozenset[str]
    n_source: Mapping[str, tuple[str, ...]]
    justification_required: bool

    def applies_to(self, unit: str) -> bool:
        return self.enabled and unit in self.units

    def sources(self, unit: str) -> tuple[str, ...]:
        return self.n_source.get(unit, ("sample_size",))

    def is_small(self, n: Decimal) -> bool:
        return n <= self.threshold if self.inclusive else n < self.threshold


@dataclass(frozen=True, slots=True)
class Settings:
    """Every assessment setting in force for one indicator (file-wide, then its own)."""

    tolerance: Decimal
    tolerance_inclusive: bool
    percent_deviation: str  # "points" | "relative"
    relative_to_baseline: Mapping[str, str]  # unit -> "points" | "relative" | "direct"
    small_sample: SmallSample
    direction: str
    unit: str | None  # the rule file may fix an indicator's unit


_DASHES = str.maketrans("–—−‒―", "-----")

# What analysts type for a direction, in Latvian and English (casefolded, single spaces); the canonical
# names, with spaces or hyphens for the underscores, are read as well.
DIRECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(("higher", "up", "↑", "⬆", "higher is better", "more is better", "increase",
                     "augstāks ir labāks", "augstāks ir labāk", "augstāka ir labāka", "lielāks ir labāks", "lielāks ir labāk",
                     "vairāk ir labāk", "jo vairāk, jo labāk", "pieaugums"), "higher_is_better"),
    **dict.fromkeys(("lower", "down", "↓", "⬇", "lower is better", "less is better", "decrease",
                     "zemāks ir labāks", "zemāks ir labāk", "zemāka ir labāka", "mazāks ir labāks", "mazāks ir labāk",
                     "mazāk ir labāk", "jo mazāk, jo labāk", "samazinājums"), "lower_is_better"),
    **dict.fromkeys(("closer", "target", "↔", "closer is better", "closer to the forecast is better",
                     "tuvāk ir labāk", "tuvāks ir labāks", "tuvāk prognozei ir labāk", "tuvāk mērķim ir labāk"), "closer_is_better"),
}

# The short status words an analyst types as an override, besides each status's name, symbol and labels
# (a rule file's own symbols and labels win where a word is also one of them).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "achieved": ("sasniegts", "sasniegta", "sasniegtais", "rezultāts sasniegts", "achieved", "met"),
    "worse": ("sliktāks", "sliktāka", "sliktāk", "sliktāks par prognozēto", "worse", "worse than forecast"),
    "better": ("labāks", "labāka", "labāk", "labāks par prognozēto", "better", "better than forecast"),
    "not_assessed": ("nav vērtēts", "nav novērtēts", "nav vērtējams", "nav datu", "dati nav saņemti", "not assessed",
                     "no data", "data not received"),
}


def direction_from_text(text: object) -> str | None:
    """'zemāks ir labāks' -> 'lower_is_better', '↑' -> 'higher_is_better', 'closer is better' -> …; None when unknown."""
    if text is None or isinstance(text, bool):
        return None
    return _direction_key(text if text.__class__ is str else str(text))


@lru_cache(maxsize=4096)  # a column of the same few texts: each resolved once
def _direction_key(text: str) -> str | None:
    key = " ".join(unicodedata.normalize("NFC", text).replace("-", "_").split()).casefold()
    if key.replace(" ", "_") in DIRECTIONS:
        return key.replace(" ", "_")
    return DIRECTION_WORDS.get(key.replace("_", " ")) or DIRECTION_WORDS.get(key)


def _key(text: object) -> str:
    return text_key(text if text.__class__ is str else str(text))


@lru_cache(maxsize=4096)  # unit and status texts: the same few recur on every row
def text_key(s: str) -> str:
    """How radit compares words an analyst types (units, statuses, headers, setting labels): NFC, no-break spaces
    as spaces, runs of white space one space, trimmed, case-folded."""
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


@dataclass(frozen=True, eq=False)
class Rules:
    """A validated rule file. `raw` is the file's own dict; defaults of default.json fill what it omits."""

    name: str
    sha256: str
    raw: Mapping[str, Any]
    effective: Mapping[str, Any] = field(repr=False)
    _cache: dict = field(default_factory=dict, repr=False)

    # --- statuses: symbols, colours, Table 1 texts ---
    @property
    def statuses(self) -> tuple[Status, ...]:
        return tuple(Status(name) for name in self.effective["statuses"])

    def _status(self, status: Status | str) -> Mapping[str, Any]:
        return self.effective["statuses"][Status(status).value]

    def symbol(self, status: Status | str) -> str:
        # asked once per assessed row: a dict hit, not an enum lookup and two dict walks
        symbols = self._cache.get("symbols")
        if symbols is None:
            symbols = self._cache["symbols"] = {s: self._status(s)["symbol"] for s in self.statuses}
        hit = symbols.get(status)
        return hit if hit is not None else self._status(status)["symbol"]

    def colour(self, status: Status | str) -> str:
        colours = self._cache.get("colours")
        if colours is None:
            colours = self._cache["colours"] = {s: self._status(s)["colour"].upper() for s in self.statuses}
        hit = colours.get(status)
        return hit if hit is not None else self._status(status)["colour"].upper()

    def label(self, status: Status | str, lang: str = "lv") -> str:
        return self._status(status)["label"]["lv" if lang == "lv" else "en"]

    def description(self, status: Status | str, lang: str = "lv") -> str:
        text = self._status(status).get("description")
        return text["lv" if lang == "lv" else "en"] if text else ""

    def status_from_text(self, text: object) -> Status | None:
        """A status from its name, symbol or LV/EN label ('-', 'Nav vērtēts', 'not assessed' …)."""
        if text is None or isinstance(text, bool):
            return None
        if isinstance(text, Status):
            return text
        index = self._cache.get("status_index")
        if index is None:
            index = {}
            for status in self.statuses:
                entry = self._status(status)
                for word in (status.value, status.value.replace("_", " "), entry["symbol"], entry["label"]["lv"], entry["label"]["en"]):
                    index.setdefault(_key(word), status)
            for status in self.statuses:  # the short words after every file text, so the file's own win
                for word in STATUS_WORDS.get(status.value, ()):
                    index.setdefault(_key(word), status)
            self._cache["status_index"] = index
        key = _key(text)
        return index.get(key) or index.get(key.translate(_DASHES))  # "–" typed for the symbol "-"

    # --- indicators ---
    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(self.raw.get("indicators", {}))

    @property
    def lists_indicators(self) -> bool:
        return bool(self.raw.get("lists_indicators", False))

    @property
    def unit_aliases(self) -> Mapping[str, str]:
        aliases = self._cache.get("aliases")
        if aliases is None:
            aliases = {_key(u): u for u in UNITS}
            aliases.update({_key(k): v for k, v in self.effective["units"]["aliases"].items()})
            self._cache["aliases"] = aliases
        return aliases

    def unit_from_text(self, text: object) -> str | None:
        """'EUR' -> 'money', 'Skaits' -> 'count', 'tūkst.euro' -> 'money', '(km)' -> 'measure'; None when unknown.

        Case and spacing do not matter ('uz 100000 iedzīvotāju' is 'uz 100 000 iedzīvotāju'), nor do
        parentheses around the whole unit."""
        if text is None:
            return None
        key = _key(text)
        hit = self.unit_aliases.get(key)
        if hit is None and len(key) > 2 and key[0] in "([" and key[-1] in ")]":
            key = key[1:-1].strip()
            hit = self.unit_aliases.get(key)
        if hit is None:
            spaceless = self._cache.get("aliases_spaceless")
            if spaceless is None:
                spaceless = {k.replace(" ", ""): v for k, v in self.unit_aliases.items()}
                self._cache["aliases_spaceless"] = spaceless
            hit = spaceless.get(key.replace(" ", ""))
        return hit

    def settings_for(self, indicator_id: object = None) -> Settings:
        if not self.raw.get("indicators"):  # no indicator has settings of its own (asked once per row)
            cached = self._cache.get(("settings", ""))
            if cached is not None:
                return cached
        key = str(indicator_id) if indicator_id is not None else ""
        if key not in self.raw.get("indicators", {}):
            key = ""  # one cache entry for every indicator without its own settings, not one per id
        cached = self._cache.get(("settings", key))
        if cached is None:
            own = self.raw.get("indicators", {}).get(key, {}) if key else {}
            cached = _settings(_merge(self.effective, own))
            self._cache[("settings", key)] = cached
        return cached


def _settings(d: Mapping[str, Any]) -> Settings:
    ss = d["small_sample"]
    return Settings(
        tolerance=_dec(d["tolerance"]["value"]),
        tolerance_inclusive=bool(d["tolerance"]["inclusive"]),
        percent_deviation=d["percent_deviation"],
        relative_to_baseline=dict(d["relative_to_baseline"]),
        small_sample=SmallSample(
            enabled=bool(ss["enabled"]),
            threshold=_dec(ss["threshold"]),
            inclusive=bool(ss["inclusive"]),
            units=frozenset(ss["units"]),
            n_source={u: tuple(v) for u, v in ss["n_source"].items()},
            justification_required=bool(ss["justification_required"]),
        ),
        direction=d["direction"],
        unit=d.get("unit"),
    )


def _dec(x: Any) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge for objects; lists and scalars of `over` replace those of `base`."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
    return out


# --- loading and validation ---

def _json_path(parts: Any) -> str:
    path = "$"
    for p in parts:
        if isinstance(p, int):
            path += f"[{p}]"
        elif isinstance(p, str) and p.isidentifier():
            path += f".{p}"
        else:
            path += "[" + repr(str(p)) + "]"
    return path


@lru_cache(maxsize=1)
def _validator():
    try:
        from jsonschema import Draft202012Validator  # lazily: costs ~50 ms at start-up otherwise
    except ImportError:  # xlwings Lite offline: jsonschema's rpds-py is compiled; the same checks in pure Python
        from engine.schema_check import Validator as Draft202012Validator

    schema = json.loads(rules_path("schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _read(path: Path) -> tuple[bytes, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RuleFileError(str(path), [RuleProblem("$", "the file does not exist")]) from None
    except OSError as exc:
        raise RuleFileError(str(path), [RuleProblem("$", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleFileError(str(path), [RuleProblem("$", f"not UTF-8 text (byte {exc.start})")]) from None

    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for k, v in items:
            if k in seen:
                duplicates.append(k)
            seen[k] = v
        return seen

    try:
        doc = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise RuleFileError(str(path), [RuleProblem("$", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]) from None
    except RecursionError:
        raise RuleFileError(str(path), [RuleProblem("$", "not valid JSON: nested too deeply")]) from None
    if duplicates:
        raise RuleFileError(str(path), [RuleProblem("$", f"the key {k!r} appears twice") for k in duplicates])
    return data, doc


def check_rules(doc: Any) -> list[RuleProblem]:
    """Every problem of a parsed rule file, each with its JSON path; [] when valid."""
    problems = [
        RuleProblem(_json_path(e.absolute_path), e.message)
        for e in sorted(_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    ]
    if not problems:  # what the schema cannot say: statuses must be told apart by symbol and label
        statuses = _merge(_default_raw(), doc).get("statuses", {})
        seen: dict[str, str] = {}
        for name, entry in statuses.items():
            for what, text in (("symbol", entry["symbol"]), ("label.lv", entry["label"]["lv"]), ("label.en", entry["label"]["en"])):
                other = seen.setdefault(_key(text), name)
                if other != name:
                    problems.append(RuleProblem(f"$.statuses.{name}.{what}", f"{text!r} is also used by {other!r}"))
    return problems


@lru_cache(maxsize=1)
def _default_raw() -> Mapping[str, Any]:
    return json.loads(rules_path("default.json").read_text(encoding="utf-8"))


def _build(name: str, data: bytes, doc: Mapping[str, Any]) -> Rules:
    base = dict(_default_raw())
    base.pop("indicators", None)
    effective = _merge(base, {k: v for k, v in doc.items() if k != "indicators"})
    if "statuses" in doc:  # the legend order is the file's own
        effective["statuses"] = {k: effective["statuses"][k] for k in doc["statuses"]}
    return Rules(name=name, sha256=hashlib.sha256(data).hexdigest(), raw=doc, effective=effective)


def load_rules(path: str | Path) -> Rules:
    """Read and validate a rule file; raises RuleFileError listing every problem with its JSON path."""
    path = Path(path)
    data, doc = _read(path)
    problems = check_rules(doc)
    if problems:
        raise RuleFileError(str(path), problems)
    return _build(path.name, data, doc)


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """rules/default.json: the source document's methodology (read without jsonschema; its test validates it)."""
    path = rules_path("default.json")
    data = path.read_bytes()
    return _build(path.name, data, json.loads(data.decode("utf-8")))
