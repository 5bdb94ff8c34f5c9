"""The citizens' web questionnaire (Flask, served by waitress): code entry, paging, coach entry.

``create_app(DIR)`` builds the app for an analysis folder; ``serve(DIR)`` runs it with waitress.
"""

from survey.web.app import create_app

__all__ = ["create_app"]
