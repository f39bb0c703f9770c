"""radit's functional core: parse indicator values, assess them against a rule file, explain why."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module: loaded on first use so `import engine` stays cheap (no pandas, no jsonschema).
_EXPORTS = {
    "Status": "engine.status",
    "Basis": "engine.status",
    "Rules": "engine.rules",
    "Settings": "engine.rules",
    "load_rules": "engine.rules",
    "default_rules": "engine.rules",
    "check_rules": "engine.rules",
    "Assessment": "engine.assessment",
    "assess": "engine.assessment",
    "assess_many": "engine.batch",
    "assess_many_columns": "engine.batch",
    "INPUT_COLUMNS": "engine.batch",
    "assess_frame": "engine.batch",
    "parse_value": "engine.values",
    "Finding": "engine.findings",
    "Location": "engine.findings",
    "RuleFileError": "engine.errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # for type checkers and IDEs
    from engine.assessment import Assessment, assess
    from engine.batch import INPUT_COLUMNS, assess_frame, assess_many, assess_many_columns
    from engine.errors import RuleFileError
    from engine.findings import Finding, Location
    from engine.rules import Rules, Settings, check_rules, default_rules, load_rules
    from engine.status import Basis, Status
    from engine.values import parse_value


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
