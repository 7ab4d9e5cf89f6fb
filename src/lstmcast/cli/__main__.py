"""``python -m lstmcast.cli``."""

import sys

from . import main

sys.exit(main())
