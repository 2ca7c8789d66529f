"""Streamlit's own English words in our interface — the file uploader's "Upload" and "50MB per file • CSV, XLSX",
the multiselect's "Select all", the "Page not found" dialog, "Press Enter to submit form", the "Skip to main
content" link, the running indicator's "Stop" and the main menu — said in the interface language.

Streamlit 1.67 has no option for these texts (no locale, no label parameter), and CSS can only hide or prepend
text, not tell the "Page not found" dialog from another one. So one small script, installed once per page by
app.py, watches the page and replaces a text node whose whole text is one of Streamlit's strings below with our
locale's text (planboard/locales/<lang>.toml, [streamlit_text]). Only whole known strings are touched; the data
never passes through it. The English interface keeps Streamlit's own words (nothing is installed)."""

from __future__ import annotations

import json

import streamlit as st

from ..i18n import t

# Streamlit 1.67's English (a regular expression matching a whole text node) -> our locale key and the names of
# its groups, in order. Checked by tests/e2e/test_streamlit_text_browser.py, which reads the visible text.
STREAMLIT_TEXT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"Upload", "upload", ()),
    (r"Upload directories", "upload", ()),
    (r"(\d+(?:\.\d+)?)\s?(KB|MB|GB) per file • (.+)", "limit", ("size", "unit", "types")),
    (r"(\d+(?:\.\d+)?)\s?(KB|MB|GB) per file", "limit_size", ("size", "unit")),
    (r"Drag and drop (?:a file|files|directories) here", "drag_drop", ()),
    (r"Select all", "select_all", ()),
    (r"(\d+) options? available\.", "options_available", ("n",)),
    (r"No results", "no_results", ()),
    (r"Skip to main content", "skip", ()),
    (r"Page not found", "page_not_found", ()),
    (r"The page that you have requested does not seem to exist\. Running the app's main page\.", "page_missing", ()),
    (
        r"You have requested page /(.+), but no corresponding file was found in the app's pages/ directory\. "
        r"Running the app's main page\.",
        "page_missing_named",
        ("page",),
    ),
    (r"Press Enter to submit form", "press_enter_form", ()),
    (r"Press Enter to apply", "press_enter", ()),
    (r"Stop", "stop", ()),  # the running indicator and the main menu (top right)
    (r"Running\.\.\.", "running", ()),
    (r"Rerun", "rerun", ()),
    (r"Print", "print", ()),
    (r"Settings", "settings", ()),
    (r"Record (?:screen|a screencast)", "screencast", ()),
    (r"Made with Streamlit v", "made_with", ()),  # the version number follows in its own text node
    (r"About", "about", ()),
    (r"Clear cache", "clear_cache", ()),
)

_SCRIPT = """<script>
(() => {
  const rules = %s.map(([re, out]) => [new RegExp("^" + re + "$"), out]);
  const fix = (node) => {
    const text = (node.nodeValue || "").trim();
    if (!text) return;
    for (const [re, out] of rules) {
      if (re.test(text)) { node.nodeValue = text.replace(re, out); return; }
    }
  };
  const walk = (root) => {
    if (root.nodeType === Node.TEXT_NODE) { fix(root); return; }
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) fix(n);
  };
  if (window.__planboardText) { window.__planboardText.rules.splice(0, Infinity, ...rules); walk(document.body); return; }
  window.__planboardText = {rules};
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "characterData") fix(c.target);
      else c.addedNodes.forEach(walk);
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
  walk(document.body);
})();
</script>"""


def rules(lang: str) -> list[tuple[str, str]]:
    """[(Streamlit's English as a regular expression, the replacement in `lang` with $1, $2... for its groups)]."""
    return [
        (pattern, t(f"streamlit_text.{key}", lang, **{name: f"${i + 1}" for i, name in enumerate(groups)}))
        for pattern, key, groups in STREAMLIT_TEXT
    ]


def install(lang: str) -> None:
    """Put the script on the page (nothing for English). Its element is hidden: it takes no room in the layout."""
    if lang == "en":
        return
    with st.container(key="planboard_streamlit_text"):
        st.html(
            "<style>.st-key-planboard_streamlit_text{display:none}</style>"
            + _SCRIPT % json.dumps(rules(lang), ensure_ascii=False),
            unsafe_allow_javascript=True,
        )
