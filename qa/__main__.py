"""`python -m qa …`: the `qa` command, for a checkout whose scripts folder is not on the PATH."""

import sys

from qa.cli import main

sys.exit(main())
