"""``python -m gigawatt`` runs the command-line program."""

import sys

from gigawatt.cli import main

sys.exit(main())
