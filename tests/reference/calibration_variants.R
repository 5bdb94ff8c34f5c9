# Reference values for calibration variants not covered by ../shared/reference (R survey 4.1).
# Run from the repository root:
#   Rscript tests/reference/calibration_variants.R ../shared/reference tests/reference/calibration_variants.json
# Requires Debian packages r-cran-survey and r-cran-jsonlite.
suppressMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
ref <- if (length(args) >= 1) args[1] else "../shared/reference"
out <- if (length(args) >= 2) args[2] else "tests/reference/calibration_variants.json"

dir <- file.path(ref, "musterstadt")
r <- read.csv(file.path(dir, "responses.csv"), stringsAsFactors = FALSE)
st <- read.csv(file.path(dir, "strata.csv"))
pop <- read.csv(file.path(dir, "population.csv"))
r$altersgruppe <- cut(2025 - r$geburtsjahr, c(16, 30, 45, 60, 75, Inf), right = FALSE,
                      labels = c("16-29", "30-44", "45-59", "60-74", "75+"))
r$geschlecht <- factor(r$geschlecht)
r$ortsteil <- factor(r$ortsteil)
r$N <- st$einwohner_16plus[match(r$ortsteil, st$ortsteil)]
share <- function(x, yes, valid) ifelse(x %in% yes, 1, ifelse(x %in% valid, 0, NA))
r$unsicher_nachts <- share(r$sicher_nacht, c(3, 4), 1:4)
r$anzeigequote_einbruch <- ifelse(r$opfer_einbruch %in% 1, share(r$anzeige_einbruch, 1, 1:2), NA)
sorge <- as.matrix(r[, grep("^sorge_", names(r))])
sorge[!(sorge %in% 1:4)] <- NA
nvalid <- rowSums(!is.na(sorge))
r$furcht_index <- ifelse(nvalid >= 4, rowSums(sorge, na.rm = TRUE) / pmax(nvalid, 1), NA)

des <- svydesign(id = ~1, strata = ~ortsteil, fpc = ~N, data = r)
ga <- tapply(pop$einwohner, pop$altersgruppe, sum)
gs <- tapply(pop$einwohner, pop$geschlecht, sum)
go <- setNames(st$einwohner_16plus, st$ortsteil)
popv <- c("(Intercept)" = sum(go), setNames(go[-1], paste0("ortsteil", names(go)[-1])),
          setNames(ga[-1], paste0("altersgruppe", names(ga)[-1])),
          setNames(gs[-1], paste0("geschlecht", names(gs)[-1])))

prop <- function(d, v) {
  f <- as.formula(paste0("~", v))
  m <- svymean(f, d, na.rm = TRUE, deff = "replace")
  list(estimate = unname(coef(m)), se = unname(SE(m)), deff = unname(attr(m, "deff")[1]),
       ci_logit = unname(as.numeric(attr(svyciprop(f, d, method = "logit", na.rm = TRUE), "ci"))),
       ci_beta = unname(as.numeric(attr(svyciprop(f, d, method = "beta", na.rm = TRUE), "ci"))))
}
byv <- function(d, v, by) {
  b <- svyby(as.formula(paste0("~", v)), as.formula(paste0("~", by)), d, svymean, na.rm = TRUE)
  setNames(lapply(seq_len(nrow(b)), function(i) list(estimate = unname(b[i, v]), se = unname(SE(b)[i]))),
           as.character(b[[by]]))
}
variant <- function(d) {
  m <- svymean(~furcht_index, d, na.rm = TRUE)
  list(weights = unname(weights(d)), weights_sum = sum(weights(d)),
       unsicher_nachts = prop(d, "unsicher_nachts"),
       anzeigequote_einbruch = prop(d, "anzeigequote_einbruch"),
       furcht_index = list(estimate = unname(coef(m)), se = unname(SE(m)),
                           ci = unname(as.numeric(confint(m, df = degf(d))))),
       by = list(geschlecht = byv(d, "unsicher_nachts", "geschlecht"),
                 altersgruppe = byv(d, "unsicher_nachts", "altersgruppe"),
                 ortsteil = byv(d, "unsicher_nachts", "ortsteil")))
}
f <- ~ortsteil + altersgruppe + geschlecht
res <- list(
  note = "R survey 4.1 (Debian r-cran-survey); musterstadt design as in ../shared/reference/musterstadt",
  logit_0.4_2.2 = variant(calibrate(des, f, popv, calfun = "logit", bounds = c(0.4, 2.2))),
  logit_0.5_1.8 = variant(calibrate(des, f, popv, calfun = "logit", bounds = c(0.5, 1.8))),
  linear = variant(calibrate(des, f, popv, calfun = "linear")),
  raking_altersgruppe = variant(calibrate(des, ~altersgruppe, c("(Intercept)" = sum(ga),
                                setNames(ga[-1], paste0("altersgruppe", names(ga)[-1]))), calfun = "raking")),
  uncalibrated = variant(des)
)

# one-stage cluster sample with raking calibration (clustered variance with calibration residuals)
cl <- read.csv(file.path(ref, "api", "apiclus1.csv"), stringsAsFactors = FALSE)
dcl <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = cl)
ccl <- calibrate(dcl, ~stype, c("(Intercept)" = 6194, stypeH = 755, stypeM = 1018), calfun = "raking")
m <- svymean(~api00, ccl)
res$apiclus1_raking_stype <- list(weights = unname(weights(ccl)), estimate = unname(coef(m)), se = unname(SE(m)),
                                  degf = degf(ccl))
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), out)
