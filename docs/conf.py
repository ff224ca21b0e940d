"""Sphinx configuration. The documentation is built from the code: the Python API from
the docstrings (autodoc, numpydoc), the command-line reference from the commands' own
help (sphinx-click), and the notebooks, executed at build time (myst-nb), beside the
Markdown pages in this folder. Build it with::

    pip install ".[docs]"
    python -m sphinx -W -b html docs docs/_build/html

and open ``docs/_build/html/index.html``.
"""

import shutil
from pathlib import Path

import aedplan

ROOT = Path(__file__).resolve().parents[1]

project = "aedplan"
author = "aedplan contributors"
copyright = "aedplan contributors; map data © OpenStreetMap contributors (ODbL)"
release = version = aedplan.__version__

extensions = ["sphinx.ext.autodoc", "numpydoc", "sphinx_click", "myst_nb"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "data", "**/.ipynb_checkpoints"]
myst_heading_anchors = 3

autodoc_typehints = "none"  # numpydoc's Parameters say it in words
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_xref_param_type = False

# the notebooks run while the pages are built: their outputs are what a reader sees
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True

html_theme = "pydata_sphinx_theme"
html_title = "aedplan"
html_theme_options = {"navigation_with_keys": False, "show_prev_next": True,
                      "header_links_before_dropdown": 4}


def _copy_notebooks_and_data() -> None:
    """The notebooks live in notebooks/ and read ../data: both are copied beside the
    pages (docs/notebooks, docs/data; not kept in git) so they run as in a clone."""
    here = ROOT / "docs"
    (here / "notebooks").mkdir(exist_ok=True)
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, here / "notebooks" / notebook.name)
    shutil.copytree(ROOT / "data", here / "data", dirs_exist_ok=True)


_copy_notebooks_and_data()


def _scenario_reference() -> None:
    """The scenario reference, written from the Scenario type itself (the copy kept in
    git for readers of the repository is checked to match by the tests)."""
    from aedplan.scenario_text import reference

    (ROOT / "docs" / "scenario.md").write_text(reference(), encoding="utf-8")


_scenario_reference()
