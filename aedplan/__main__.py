"""``python -m aedplan``: the ``aedplan`` command."""

from .cli import main

main(prog_name="aedplan")
