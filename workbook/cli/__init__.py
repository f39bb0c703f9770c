"""The `radit` command line: one module per sub-command, each with `configure(parser)` and `run(args, out, err) -> int`.

Command modules import their heavy dependencies inside `run`, so `radit --help` and a cold
`radit validate` stay fast.
"""

from workbook import codes as _codes  # noqa: F401  the workbook's codes join the one catalogue before any finding
