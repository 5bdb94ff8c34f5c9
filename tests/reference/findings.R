# Reference values for analysis.findings (R survey 4.1, Debian r-cran-survey + r-cran-jsonlite).
# Run from the repository root:
#   Rscript tests/reference/findings.R ../shared/reference tests/reference/findings.json
# Design exactly as ../shared/reference/musterstadt/reference.json "method": stratified SRS without
# replacement (strata = ortsteil, fpc = einwohner_16plus), raking calibration to ortsteil + altersgruppe
# + geschlecht (calibrate(calfun = "raking")), Taylor linearisation with calibration residuals.
suppressMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
ref <- if (length(args) >= 1) args[1] else "../shared/reference"
out <- if (length(args) >= 2) args[2] else "tests/reference/findings.json"

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
r$sorge_hoch_einbruch <- share(r$sorge_einbruch, c(3, 4), 1:4)
r$sorge_hoch_diebstahl <- share(r$sorge_diebstahl, c(3, 4), 1:4)
r$anzeigequote_sachbeschaedigung <- ifelse(r$opfer_sachbeschaedigung %in% 1,
                                           share(r$anzeige_sachbeschaedigung, 1, 1:2), NA)
sorge <- as.matrix(r[, grep("^sorge_[a-z]+$", names(r))])
sorge[!(sorge %in% 1:4)] <- NA
nvalid <- rowSums(!is.na(sorge))
r$furcht_index <- ifelse(nvalid >= 4, rowSums(sorge, na.rm = TRUE) / pmax(nvalid, 1), NA)
offences <- c("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")
victim <- sapply(offences, function(o) r[[paste0("opfer_", o)]] %in% 1)
none <- sapply(offences, function(o) r[[paste0("opfer_", o)]] %in% 2)
r$opfer_12m_irgendein <- ifelse(rowSums(victim) > 0, 1, ifelse(rowSums(none) == length(offences), 0, NA))
problems <- as.matrix(r[, grep("^problem_", names(r))])
problems[!(problems %in% 1:4)] <- NA
pvalid <- rowSums(!is.na(problems))
r$problem_index <- ifelse(pvalid >= 6, rowSums(problems, na.rm = TRUE) / pmax(pvalid, 1), NA)

des <- svydesign(id = ~1, strata = ~ortsteil, fpc = ~N, data = r)
ga <- tapply(pop$einwohner, pop$altersgruppe, sum)
gs <- tapply(pop$einwohner, pop$geschlecht, sum)
go <- setNames(st$einwohner_16plus, st$ortsteil)
popv <- c("(Intercept)" = sum(go), setNames(go[-1], paste0("ortsteil", names(go)[-1])),
          setNames(ga[-1], paste0("altersgruppe", names(ga)[-1])),
          setNames(gs[-1], paste0("geschlecht", names(gs)[-1])))
cal <- calibrate(des, ~ortsteil + altersgruppe + geschlecht, popv, calfun = "raking")

# 1. group against the rest: svyttest (= svyglm(y ~ I(g == code)), df = degf(subset) - 1) and the
#    same contrast from svytotal + svycontrast (see below why not svyby(covmat = TRUE))
versus_rest <- function(y, by, design = cal) {
  levels <- levels(factor(r[[by]]))
  setNames(lapply(levels, function(g) {
    design <- update(design, .ind = as.numeric(as.character(get(by)) == g))
    tt <- svyttest(as.formula(paste0(y, " ~ .ind")), design)
    # svyby(covmat = TRUE) fails on calibrated designs in survey 4.1 ("number of items to replace"),
    # so the contrast comes from one svytotal of numerators and denominators and the nonlinear
    # svycontrast (delta method): mean_group - mean_rest = n_g / d_g - n_r / d_r
    design <- update(design, .ok = as.numeric(!is.na(get(y)) & !is.na(.ind)))
    design <- update(design, .ng = ifelse(.ok == 1 & .ind == 1, get(y), 0), .dg = as.numeric(.ok == 1 & .ind == 1),
                     .nr = ifelse(.ok == 1 & .ind == 0, get(y), 0), .dr = as.numeric(.ok == 1 & .ind == 0))
    tot <- svytotal(~.ng + .dg + .nr + .dr, design)
    con <- svycontrast(tot, quote(.ng / .dg - .nr / .dr))
    list(estimate = unname(tt$estimate), t = unname(tt$statistic), df = unname(tt$parameter),
         p = unname(tt$p.value), ci = unname(as.numeric(tt$conf.int)),
         contrast = unname(coef(con)), contrast_se = unname(SE(con)),
         mean_group = unname(coef(tot)[1] / coef(tot)[2]), mean_rest = unname(coef(tot)[3] / coef(tot)[4]))
  }), levels)
}
subgroup <- list(
  unsicher_nachts__ortsteil = versus_rest("unsicher_nachts", "ortsteil"),
  unsicher_nachts__geschlecht = versus_rest("unsicher_nachts", "geschlecht"),
  unsicher_nachts__altersgruppe = versus_rest("unsicher_nachts", "altersgruppe"),
  furcht_index__altersgruppe = versus_rest("furcht_index", "altersgruppe"),
  anzeigequote_sachbeschaedigung__geschlecht = versus_rest("anzeigequote_sachbeschaedigung", "geschlecht")
)

# 2. whole breakdown: Rao-Scott F (svychisq) for a share, Wald F (regTermTest) for a mean
chisq <- svychisq(~unsicher_nachts + ortsteil, cal)
mean_model <- svyglm(furcht_index ~ altersgruppe, cal)
mean_test <- regTermTest(mean_model, ~altersgruppe)
breakdown <- list(
  unsicher_nachts__ortsteil = list(f = unname(chisq$statistic), ndf = unname(chisq$parameter[1]),
                                   ddf = unname(chisq$parameter[2]), p = unname(chisq$p.value)),
  furcht_index__altersgruppe = list(f = as.numeric(mean_test$Ftest), ndf = unname(mean_test$df),
                                    ddf = unname(mean_test$ddf), p = as.numeric(mean_test$p))
)

# 3. paired difference of two items on the same sample, each over its own valid answers:
#    svytotal of numerators and denominators, then the nonlinear svycontrast (delta method)
paired <- function(a, b) {
  d <- update(cal, na_ = ifelse(is.na(get(a)), 0, get(a)), da_ = as.numeric(!is.na(get(a))),
              nb_ = ifelse(is.na(get(b)), 0, get(b)), db_ = as.numeric(!is.na(get(b))))
  tot <- svytotal(~na_ + da_ + nb_ + db_, d)
  con <- svycontrast(tot, quote(na_ / da_ - nb_ / db_))
  df <- degf(subset(cal, !is.na(get(a)) | !is.na(get(b)))) - 1
  t <- unname(coef(con) / SE(con))
  list(estimate = unname(coef(con)), se = unname(SE(con)), df = df, t = t, p = 2 * pt(-abs(t), df))
}
# two groups of one breakdown (ranking neighbours): svyttest on the subset of both groups
two_groups <- function(y, by, a, b) {
  d <- subset(cal, get(by) %in% c(a, b))
  d <- update(d, .ind = as.numeric(as.character(get(by)) == a))
  tt <- svyttest(as.formula(paste0(y, " ~ .ind")), d)
  list(estimate = unname(tt$estimate), t = unname(tt$statistic), df = unname(tt$parameter), p = unname(tt$p.value))
}
ranking <- list(
  sorge_hoch_einbruch__sorge_hoch_diebstahl = paired("sorge_hoch_einbruch", "sorge_hoch_diebstahl"),
  unsicher_nachts__ortsteil__3__2 = two_groups("unsicher_nachts", "ortsteil", "3", "2")
)

# 4. p.adjust
p <- c(0.01, 0.04, 0.03, NA, 0.04, 0.2, 0.001, 0.5, 0.0125)
adjust <- list(p = p)
for (m in c("holm", "BH", "bonferroni", "hochberg", "BY")) adjust[[m]] <- p.adjust(p, m)

# 5. exact conditional rate-ratio test (poisson.test of two counts with exposures)
rates <- list(c(120, 15000, 4000, 600000), c(5, 2000, 80, 50000), c(0, 1000, 30, 20000), c(40, 9000, 130, 30000))
rate_ratio <- lapply(rates, function(x) {
  t <- poisson.test(c(x[1], x[3]), c(x[2], x[4]))
  list(cases = x[1], population = x[2], reference_cases = x[3], reference_population = x[4],
       ratio = unname(t$estimate), p = t$p.value, ci = unname(as.numeric(t$conf.int)))
})

# 6. association: terms of the drivers model (Wald F per term, regTermTest)
model <- svyglm(unsicher_nachts ~ geschlecht + altersgruppe + opfer_12m_irgendein + problem_index, cal,
                family = quasibinomial())
association <- lapply(c("geschlecht", "altersgruppe", "opfer_12m_irgendein", "problem_index"), function(term) {
  tt <- regTermTest(model, as.formula(paste0("~", term)))
  list(term = term, f = as.numeric(tt$Ftest), ndf = unname(tt$df), ddf = unname(tt$ddf), p = as.numeric(tt$p))
})

res <- list(note = "R survey 4.1 (Debian r-cran-survey); musterstadt design as in ../shared/reference/musterstadt",
            degf = degf(cal), subgroup = subgroup, breakdown = breakdown, ranking = ranking, adjust = adjust,
            rate_ratio = rate_ratio, association = association)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), out)
