"""Report templates (Jinja2 for HTML, Typst for PDF). Shipped as a data package; see survey.resources."""
