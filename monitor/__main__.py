"""`python -m monitor` runs the `pantau` command."""

from monitor.cli import main

main()
