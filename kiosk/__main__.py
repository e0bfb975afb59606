import sys

from kiosk.cli import main

if __name__ == "__main__":  # not when a worker process (spawned) imports this module
    sys.exit(main())
