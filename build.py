"""Build, check, serve and run the shop: `python build.py --help`."""

import sys

from storefront.cli import main

if __name__ == "__main__":
    sys.exit(main())
