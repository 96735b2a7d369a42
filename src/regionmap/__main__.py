import sys

from regionmap.cli import main

sys.exit(main())
