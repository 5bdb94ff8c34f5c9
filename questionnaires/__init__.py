"""Questionnaire definitions (YAML). Shipped as a data package; see survey.resources."""
