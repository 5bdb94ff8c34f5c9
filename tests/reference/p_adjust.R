# Reference values for analysis.multiple_testing.adjust: R's stats::p.adjust (holm, BH).
# Run from the repository root:
#   Rscript tests/reference/p_adjust.R tests/reference/p_adjust.json
# Requires the Debian package r-cran-jsonlite.
suppressMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "tests/reference/p_adjust.json"

set.seed(20251)
cases <- list(
  textbook = c(0.01, 0.02, 0.03, 0.04, 0.05),
  ties = c(0.04, 0.01, 0.04, 0.2, 0.01, 0.9, 0.04),
  unordered = c(0.8, 0.001, 0.3, 0.049, 0.0001, 0.5, 0.02, 0.7, 0.02, 1),
  with_missing = c(0.03, NA, 0.001, 0.2, NA, 0.04),
  single = c(0.03),
  uniform_200 = runif(200),
  mixed_160 = c(runif(150), rbeta(10, 0.2, 20)),
  zeros_and_ones = c(0, 1, 0, 0.5, 1e-300, 1)
)
result <- lapply(cases, function(p) list(
  p = p,
  holm = p.adjust(p, "holm"),
  BH = p.adjust(p, "BH")
))
result$r_version <- R.version.string
writeLines(toJSON(result, digits = NA, na = "null", auto_unbox = TRUE, pretty = TRUE), out)
