"""Fictional sample communes and their seeded generator. Shipped as a data package; see survey.resources."""
