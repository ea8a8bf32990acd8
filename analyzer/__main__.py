"""``python -m analyzer``: the command line (see :mod:`analyzer.cli`)."""

from analyzer.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
