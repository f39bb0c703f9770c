"""Named exceptions: a problem that stops the work, with the same code, template and location as a finding."""
from __future__ import annotations

from typing import Any, NamedTuple

from engine.codes import CATALOGUE
from engine.findings import Location, _Lenient, _shown, printable


class RaditError(Exception):
    """Base of every error radit reports to a person; the CLI prints render(lang) (str() is English), never a traceback."""

    exit_code = 2
    code: str | None = None
    location: Location = Location()

    def render(self, lang: str = "en") -> str:
        return str(self)


class CodedError(RaditError):
    """A refusal: a finding that stops the work (frictionless' FrictionlessException(error), as data).

    `code` is a stable slug of engine.codes.CATALOGUE, `location` an engine.findings.Location, `params` fill the
    code's template in Latvian or English. `template` chooses a variant's sentence (`too-large.file`) while the
    code stays the slug. `message` is the English sentence of a caller that predates the catalogue: it is the
    text only for such a call (a message and nothing else: no location, parameters or variant) or where the
    template's parameters are missing; a call with a location or parameters renders from the catalogue.
    """

    def __init__(self, code: str, location: Location | None = None, message: str | None = None, *,
                 template: str | None = None, **params: Any):
        self.code = code
        self.location = location if location is not None else Location()
        self.template = template or code
        self.params = params
        self.fallback = message
        self.legacy = message is not None and location is None and not params and template is None
        super().__init__(code)

    # --- text, rendered late ---
    def text(self, lang: str = "en") -> str:
        """What is wrong, and what to do about it, in `lang`; no location."""
        entry = CATALOGUE.get(self.template) or CATALOGUE.get(self.code)
        if entry is None or self.legacy or (self.fallback is not None and not _fills(entry, self.params)):
            return printable(self.fallback if self.fallback is not None else self.code)
        shown = _Lenient({k: _shown(v) for k, v in self.params.items()})
        text = (entry.lv if lang == "lv" else entry.en).format_map(shown)
        hint = (entry.hint_lv if lang == "lv" else entry.hint_en).format_map(shown)
        return f"{text}: {hint}" if hint else text

    def where(self) -> str:
        """The location inside the file (`'Rādītāji'!J5`, a JSON path), or '' (the file is named apart)."""
        return self.location.replace(file=None).render()

    def describe(self, lang: str = "en") -> str:
        """The location inside the file and the text: `'Rādītāji'!XFD1048576: the sheet would span …`."""
        where = self.where()
        return f"{where}: {self.text(lang)}" if where else self.text(lang)

    @property
    def message(self) -> str:  # the English description (what reports carried as `message` before the catalogue)
        return self.describe("en")

    def render(self, lang: str = "en") -> str:
        """One line for a person: `FILE: WHERE: TEXT [code]`."""
        file = self.location.file
        return f"{printable(file)}: {self.describe(lang)} [{self.code}]" if file else f"{self.describe(lang)} [{self.code}]"

    def __str__(self) -> str:
        return self.render("en")

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        loc = self.location
        return {"code": self.code, "message": self.describe(lang), "file": loc.file, "sheet": loc.sheet,
                "cell": loc.cell, "row": loc.row, "column": loc.column, "json_path": loc.json_path}

    def __reduce__(self):  # picklable whatever a subclass's __init__ takes (a validate --jobs worker sends it back)
        return (_restore, (type(self), dict(self.__dict__)))


def _restore(cls: type, state: dict[str, Any]) -> CodedError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("code"))
    error.__dict__.update(state)
    return error


_FIELDS: dict[str, frozenset[str]] = {}


def _fills(entry, params: dict[str, Any]) -> bool:
    """Whether params hold every field the entry's English and Latvian sentences name."""
    key = entry.en + "\0" + entry.lv + "\0" + entry.hint_en + "\0" + entry.hint_lv
    fields = _FIELDS.get(key)
    if fields is None:
        import string  # here: only a refusal with parameters needs it, and importing it costs every start

        fields = _FIELDS[key] = frozenset(f for _, f, _, _ in string.Formatter().parse(key) if f)
    return fields <= params.keys()


class RuleProblem(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    json_path: str  # e.g. $.indicators['A.PR1.1'].direction (jsonschema's error.json_path)
    message: str

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"


class RuleFileError(CodedError):
    """A rule file that cannot be read or does not satisfy rules/schema.json. Lists every problem, each at its JSON path."""

    def __init__(self, path: str, problems: list[RuleProblem] | list[str]):
        self.path = str(path)
        self.problems = [p if isinstance(p, RuleProblem) else RuleProblem("$", str(p)) for p in problems]
        first = self.problems[0].json_path if self.problems else "$"
        n = len(self.problems)
        super().__init__("bad-rules", Location(file=self.path, json_path=first), count=n,
                         count_en=f"{n} problem{'' if n == 1 else 's'}",
                         count_lv=f"{n} problēma{'' if n % 10 == 1 and n % 100 != 11 else 's'}",
                         problems="; ".join(str(p) for p in self.problems))

    def render(self, lang: str = "en") -> str:
        head = CodedError(self.code, self.location, template="bad-rules.head", **self.params)
        lines = [f"{printable(self.path)}: {head.text(lang)}"]
        lines += [f"  {printable(str(p))}" for p in self.problems]
        return "\n".join(lines)
