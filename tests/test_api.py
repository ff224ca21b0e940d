"""The public API: explicit names, and `import aedplan` stays light."""

from __future__ import annotations

import subprocess
import sys

import aedplan


def test_public_names_exist():
    for name in aedplan.__all__:
        assert hasattr(aedplan, name), name


def test_import_is_light():
    code = (
        "import sys, aedplan; "
        "heavy = [m for m in ('folium', 'highspy', 'matplotlib', 'osmnx', 'networkx', "
        "'pyrosm', 'osmium', 'branca') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
