"""Start the Streamlit server on app.py: `python -m planboard.ui.serve [streamlit options]` (what `make run` does).

Why not plain `streamlit run app.py`: Streamlit still treats a folder named `pages/` beside the main script as a
legacy (v1) multipage app on the server's very first script run, so the first visitor after a restart who opens a
deep link (e.g. /theo-quy?as_of=2024-06-30) gets a spurious "Page not found" dialog. Our pages/ folder holds
st.navigation pages, so we tell Streamlit so before it starts (checked by tests/e2e)."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[2] / "app.py"


def use_navigation_pages() -> None:
    """Tell Streamlit that pages/ holds st.navigation pages."""
    PagesManager.uses_pages_directory = False


def use_navigation_pages_in_apptest() -> None:
    """The same for AppTest, which resets the flag before every run (so, without this, a run after the first one
    would execute the current page's file directly, skipping app.py and its login)."""
    from streamlit.testing.v1 import app_test

    class NavigationPagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test.PagesManager = NavigationPagesManager


def main(argv: list[str] | None = None) -> None:
    use_navigation_pages()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
