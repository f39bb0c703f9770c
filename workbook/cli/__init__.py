"""The `radit` command line: one module per sub-command, each with `configure(parser)` and `run(args, out, err) -> int`.

Command modules import their heavy dependencies inside `run`, so `radit --help` and a cold
`radit validate` stay fast.
"""
