"""Errors of report rendering."""

from __future__ import annotations

from survey.errors import UserError


class RenderError(UserError):
    """A report could not be rendered (Typst compile error, PDF/UA check, template error)."""
