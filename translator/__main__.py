"""``python -m translator``: the command line (``python -m translator gui`` for the window)."""

import sys

from translator.cli import main

sys.exit(main())
