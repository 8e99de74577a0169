"""``python -m greymap`` is the ``greymap`` command."""

from greymap.cli import main

main()
