"""Start the console GUI. With no configuration this is the demo station."""

import sys

from console.app import main

if __name__ == "__main__":
    sys.exit(main())
