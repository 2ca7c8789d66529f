"""Entry point of `python -m planboard`."""

import sys

from .cli import main

sys.exit(main())
