"""German words for the engine's codes: ``analysis`` returns typed values and codes (flag reasons,
weighting notes, PKS series flags, Dunkelfeld caveats, methods), and these modules say them in German for
the reports, the profile's readers and the CLI. Numbers go through :mod:`survey.report.formatting`."""
