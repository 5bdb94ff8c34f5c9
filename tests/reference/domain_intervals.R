# Reference values for domain (breakdown) intervals, R survey 4.1 defaults.
# Run from the repository root:
#   Rscript tests/reference/domain_intervals.R ../shared/reference tests/reference/domain_intervals.json
# Requires Debian packages r-cran-survey and r-cran-jsonlite.
#
# What R does for a domain (read from the installed sources, survey 4.1-1):
# - svyby(~y, ~g, design, FUN) calls FUN(~y, design[g == level, ]): the subset design.
# - svyciprop(formula, design, method, level, df = degf(design)): the default df is the degf of the
#   design it is given, so in svyby that of the subset: PSUs with a nonzero weight in the domain minus
#   strata with a PSU in the domain (degf.survey.design2). Item non-response (NA in y, removed by
#   svyglm/svymean) does not change it.
# - method = "beta" (Korn-Graubard) ignores `df` and always uses degf(design) and nrow(design) - 1;
#   nrow() of a subset is the full number of rows for calibrated designs (rows are kept with weight 0)
#   and the number of domain rows for uncalibrated ones (rows are dropped).
# - confint.svystat has df = Inf (normal) by default; the toolkit uses t intervals for means, so the
#   reference is confint(svymean(~y, subset, na.rm = TRUE), df = degf(subset)).
suppressMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
ref <- if (length(args) >= 1) args[1] else "../shared/reference"
out <- if (length(args) >= 2) args[2] else "tests/reference/domain_intervals.json"

dir <- file.path(ref, "musterstadt")
r0 <- read.csv(file.path(dir, "responses.csv"), stringsAsFactors = FALSE)
st0 <- read.csv(file.path(dir, "strata.csv"))
pop <- read.csv(file.path(dir, "population.csv"))
share <- function(x, yes, valid) ifelse(x %in% yes, 1, ifelse(x %in% valid, 0, NA))

prepare <- function(r, st) {
  r$altersgruppe <- cut(2025 - r$geburtsjahr, c(16, 30, 45, 60, 75, Inf), right = FALSE,
                        labels = c("16-29", "30-44", "45-59", "60-74", "75+"))
  r$geschlecht <- factor(r$geschlecht)
  r$ortsteil <- factor(r$ortsteil)
  r$N <- st$einwohner_16plus[match(r$ortsteil, st$ortsteil)]
  r$unsicher_nachts <- share(r$sicher_nacht, c(3, 4), 1:4)
  r$vertrauen_polizei_hoch <- share(r$vertrauen_polizei, c(1, 2), 1:4)
  r$anzeigequote_sachbeschaedigung <- ifelse(r$opfer_sachbeschaedigung %in% 1, share(r$anzeige_sachbeschaedigung, 1, 1:2), NA)
  sorge <- as.matrix(r[, grep("^sorge_", names(r))])
  sorge[!(sorge %in% 1:4)] <- NA
  nvalid <- rowSums(!is.na(sorge))
  r$furcht_index <- ifelse(nvalid >= 4, rowSums(sorge, na.rm = TRUE) / pmax(nvalid, 1), NA)
  r
}

designs <- function(r, st) {
  des <- svydesign(id = ~1, strata = ~ortsteil, fpc = ~N, data = r)
  ga <- tapply(pop$einwohner, pop$altersgruppe, sum)
  gs <- tapply(pop$einwohner, pop$geschlecht, sum)
  go <- setNames(st$einwohner_16plus, st$ortsteil)
  popv <- c("(Intercept)" = sum(go), setNames(go[-1], paste0("ortsteil", names(go)[-1])),
            setNames(ga[-1], paste0("altersgruppe", names(ga)[-1])),
            setNames(gs[-1], paste0("geschlecht", names(gs)[-1])))
  cal <- calibrate(des, ~ortsteil + altersgruppe + geschlecht, popv, calfun = "raking")
  list(calibrated = cal, uncalibrated = des)
}

PROPORTIONS <- c("unsicher_nachts", "vertrauen_polizei_hoch", "anzeigequote_sachbeschaedigung")
MEANS <- c("furcht_index")
BREAKDOWNS <- list(ortsteil = "ortsteil", geschlecht = "geschlecht", altersgruppe = "altersgruppe",
                   geschlecht_altersgruppe = c("geschlecht", "altersgruppe"),
                   ortsteil_geschlecht = c("ortsteil", "geschlecht"))

group_keys <- function(d, by) do.call(paste, c(lapply(by, function(b) as.character(d$variables[[b]])), sep = ":"))

# One domain per level combination present in the data, computed on the subset design exactly as
# svyby does (design[inside, ]); svyby itself is run as a cross-check where it does not stop on a
# degenerate group. method = "logit" fits svyglm(y ~ 1, quasibinomial); on a few calibrated subsets
# R's glm does not converge (intercept ~1e15, interval NaN). method = "xlogit" is the same Wald
# interval on the logit scale by the delta method on svymean (no glm), so it is recorded too. Groups whose estimate is exactly 0 or 1 are recorded with R's own (degenerate)
# output under `degenerate` (the toolkit uses an exact one-sided interval there instead).
proportion_groups <- function(d, v, by) {
  f <- as.formula(paste0("~", v))
  keys <- group_keys(d, by)
  groups <- list()
  for (key in sort(unique(keys[!is.na(d$variables[[v]])]))) {
    inside <- keys == key
    sub <- d[inside, ]
    m <- svymean(f, sub, na.rm = TRUE)
    p <- unname(coef(m))
    entry <- list(n = sum(!is.na(d$variables[[v]][inside])), estimate = p, se = unname(SE(m)),
                  df = degf(sub), nrow = nrow(sub))
    logit <- tryCatch(attr(svyciprop(f, sub, method = "logit", na.rm = TRUE), "ci"), error = function(e) c(NA, NA))
    beta <- tryCatch(attr(svyciprop(f, sub, method = "beta", na.rm = TRUE), "ci"), error = function(e) c(NA, NA))
    xlogit <- tryCatch(attr(svyciprop(f, sub, method = "xlogit", na.rm = TRUE), "ci"), error = function(e) c(NA, NA))
    if (p <= 0 || p >= 1) {
      entry$degenerate <- list(ci_logit = unname(as.numeric(logit)), ci_beta = unname(as.numeric(beta)))
    } else {
      entry$ci_logit <- unname(as.numeric(logit))
      entry$ci_beta <- unname(as.numeric(beta))
      entry$ci_xlogit <- unname(as.numeric(xlogit))
    }
    groups[[key]] <- entry
  }
  byf <- as.formula(paste0("~", paste(by, collapse = "+")))
  check <- tryCatch(svyby(f, byf, d, svyciprop, method = "logit", vartype = "ci", na.rm = TRUE),
                    error = function(e) NULL)
  if (!is.null(check)) {
    ck <- do.call(paste, c(lapply(by, function(b) as.character(check[[b]])), sep = ":"))
    for (i in seq_along(ck)) {
      g <- groups[[ck[i]]]
      if (!is.null(g$ci_logit) && !is.na(g$ci_logit[1])) stopifnot(abs(g$ci_logit[1] - check$ci_l[i]) < 1e-12)
    }
  }
  groups
}

mean_groups <- function(d, v, by) {
  f <- as.formula(paste0("~", v))
  keys <- group_keys(d, by)
  groups <- list()
  for (key in sort(unique(keys))) {
    inside <- keys == key
    sub <- d[inside, ]
    m <- svymean(f, sub, na.rm = TRUE)
    groups[[key]] <- list(n = sum(!is.na(d$variables[[v]][inside])), estimate = unname(coef(m)),
                          se = unname(SE(m)), df = degf(sub),
                          ci = unname(as.numeric(confint(m, df = degf(sub)))))
  }
  groups
}

all_domains <- function(d) {
  res <- list(degf = degf(d), nrow = nrow(d), weights = unname(weights(d)), proportions = list(), means = list())
  for (v in PROPORTIONS) {
    res$proportions[[v]] <- lapply(BREAKDOWNS, function(by) proportion_groups(d, v, by))
  }
  for (v in MEANS) {
    res$means[[v]] <- lapply(BREAKDOWNS, function(by) mean_groups(d, v, by))
  }
  res
}

# musterstadt as in ../shared/reference
r <- prepare(r0, st0)
muster <- lapply(designs(r, st0), all_domains)

# constructed: the first 17 respondents of Eichwalde (ortsteil 4) live in a new Ortsteil 5
# »Waldhufen« that is its own stratum (population 16+ 120, taken from Eichwalde's 650).
st5 <- rbind(st0, data.frame(ortsteil = 5, name = "Waldhufen", einwohner_16plus = 120, brutto_stichprobe = 60,
                             netto = 17))
st5$einwohner_16plus[st5$ortsteil == 4] <- 650 - 120
r5 <- r0
r5$ortsteil[which(r5$ortsteil == 4)[1:17]] <- 5
small <- lapply(designs(prepare(r5, st5), st5), all_domains)

res <- list(
  note = paste("R survey", as.character(packageVersion("survey")),
               "svyby/svyciprop/confint defaults on subsets; musterstadt as in ../shared/reference/musterstadt"),
  small_ortsteil = list(code = 5, name = "Waldhufen", population = 120, respondents = 17, from = 4,
                        moved = "the first 17 respondents of ortsteil 4 in file order"),
  musterstadt = muster, small = small)
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), out)
