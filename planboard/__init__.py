"""Planboard: KPI dashboard core for a social-protection center's yearly legal-aid plan. No Streamlit."""

__version__ = "0.1.0"
