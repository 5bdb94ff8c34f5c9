"""The commune security profile: pure assembly of every aggregate result (``assemble``) from its parts
(indicator records, item distributions, problems, drivers, reliability, PKS, coded free texts,
recommendation rules)."""
