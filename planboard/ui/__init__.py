"""The only Streamlit-aware helpers: cached data access, shared filters, cards and chart builders."""
