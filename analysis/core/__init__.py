"""The survey statistics core (R survey semantics): the design and its variance, calibration,
estimation overall, by domains and by groups, intervals, reliability and disclosure flags, indicator
specs and their respondent values, category codes, contrasts, and the adjustment of p-values."""
