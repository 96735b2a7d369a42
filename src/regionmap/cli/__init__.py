"""The `regionmap` command: a thin layer over the public API.

Library errors become one line on stderr and an exit code (0 done, 1 problems found or
export failed, 2 usage); bad input never ends in a traceback.

One module per group of commands (`_data`, `_output`, `_dashboard`, `_store`); each
uses only `regionmap`'s public names (tests/test_api.py checks it).
"""

from regionmap.cli._main import build_parser, main

__all__ = ["build_parser", "main"]
