"""`python -m bot` runs the briefbot command line."""

import sys

from .cli import main

sys.exit(main())
