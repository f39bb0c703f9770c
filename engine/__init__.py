"""radit's functional core: parse indicator values, assess them against a rule file, explain why."""
from __future__ import annotations

__version__ = "0.1.0"
