"""Reading a pytester run of the plugin: which items passed and which failed."""
from __future__ import annotations


def outcomes(result) -> dict[str, str]:
    """nodeid -> passed/failed, from the -rA short summary."""
    out = {}
    for line in result.outlines:
        for word in ("PASSED", "FAILED"):
            if line.startswith(word + " "):
                out[line.split(" ")[1]] = word.lower()
    return out
