"""The notebooks in notebooks/ run top to bottom, offline, from a copy of the repository's
notebooks/ and data/ folders, and are kept without outputs."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
#: Something each notebook must print: what it set out to show.
SAYS = {
    "01-rescue-circles.ipynb": ["optimal gap 0.00%", "same sites: True", "proposed_sites"],
    "02-round-the-clock.ipynb": ["round the clock:", "planned round the clock"],
    "03-bring-your-own-matrix.ipynb": ["same objective: True", "same sites: True"],
    "04-chinese-city.ipynb": ["looks like an Amap (高德) place-search export",
                              "AEDs per 100,000: ", "Shanghai"],
}


def test_the_notebooks_are_the_four_named_and_kept_without_outputs():
    assert [p.name for p in NOTEBOOKS] == sorted(SAYS)
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(not c.outputs and c.execution_count is None for c in code), path
        assert "OpenStreetMap contributors" in "".join(c.source for c in nb.cells), path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """notebooks/ and data/ copied, as a fresh clone has them: the notebooks read
    ../data and write beside themselves."""
    root = tmp_path_factory.mktemp("clone")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    shutil.copytree(REPO / "data", root / "data")
    return root / "notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_runs_top_to_bottom(path, workdir):
    nb = nbformat.read(workdir / path.name, as_version=4)
    started = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}}).execute()
    seconds = time.perf_counter() - started
    text = "\n".join(
        str(o.get("text") or o.get("data", {}).get("text/plain", ""))
        for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    for words in SAYS[path.name]:
        assert words in text, (path.name, words)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.get("output_type") == "error" or o.get("name") == "stderr"]
    assert not errors, errors
    print(f"{path.name}: {seconds:.1f} s")
