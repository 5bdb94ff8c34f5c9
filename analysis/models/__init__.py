"""Design-based models and tests: logistic regression (``logit``, R ``svyglm`` quasibinomial), ordinal
logistic regression (``ordinal``, R ``svyolr``), the Rao-Scott test of a two-way table (``rao_scott``, R
``svychisq``), Cronbach's alpha (``reliability``, R ``svycralpha``) and direct standardisation
(``standardisation``)."""
