"""Report rendering: German formatting, charts with alt text, Typst (PDF/UA-1) and HTML renderers.

See docs/ARCHITECTURE.md ("Report rendering") for the API overview.
"""
