# Reference values for a stratum with a single respondent, R survey 4.1, every survey.lonely.psu option.
# Run from the repository root:
#   Rscript tests/reference/lonely_stratum.R ../shared/reference tests/reference/lonely_stratum.json
# Requires Debian packages r-cran-survey and r-cran-jsonlite.
#
# Data: musterstadt (../shared/reference/musterstadt); its first respondent of Ortsteil 3 »Am Bahnhof«
# lives in a new Ortsteil 5 »Einzelhof« (population 16+ 40, taken from Am Bahnhof's 1800), a stratum
# with one respondent. calibrate() works under every option (R fails only at the variance). Estimates:
# overall, by geschlecht, altersgruppe and ortsteil (svyby(..., svymean, na.rm = TRUE)), for the
# calibrated (raking) and the uncalibrated design. survey.adjust.domain.lonely stays at its default
# FALSE (a domain never turns a stratum into a lonely one).
suppressMessages({library(survey); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
ref <- if (length(args) >= 1) args[1] else "../shared/reference"
out <- if (length(args) >= 2) args[2] else "tests/reference/lonely_stratum.json"

dir <- file.path(ref, "musterstadt")
r <- read.csv(file.path(dir, "responses.csv"), stringsAsFactors = FALSE)
st <- read.csv(file.path(dir, "strata.csv"))
pop <- read.csv(file.path(dir, "population.csv"))
LONELY <- list(code = 5, name = "Einzelhof", population = 40, from = 3)
moved <- which(r$ortsteil == LONELY$from)[1]
r$ortsteil[moved] <- LONELY$code
st <- rbind(st, data.frame(ortsteil = LONELY$code, name = LONELY$name, einwohner_16plus = LONELY$population,
                           brutto_stichprobe = 3, netto = 1))
st$einwohner_16plus[st$ortsteil == LONELY$from] <- st$einwohner_16plus[st$ortsteil == LONELY$from] - LONELY$population

share <- function(x, yes, valid) ifelse(x %in% yes, 1, ifelse(x %in% valid, 0, NA))
r$altersgruppe <- cut(2025 - r$geburtsjahr, c(16, 30, 45, 60, 75, Inf), right = FALSE,
                      labels = c("16-29", "30-44", "45-59", "60-74", "75+"))
r$geschlecht <- factor(r$geschlecht)
r$ortsteil <- factor(r$ortsteil)
r$N <- st$einwohner_16plus[match(r$ortsteil, st$ortsteil)]
r$unsicher_nachts <- share(r$sicher_nacht, c(3, 4), 1:4)
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
options(survey.lonely.psu = "fail")
cal <- calibrate(des, ~ortsteil + altersgruppe + geschlecht, popv, calfun = "raking")

estimates <- function(d) {
  res <- list(degf = degf(d))
  for (v in c("unsicher_nachts", "furcht_index")) {
    f <- as.formula(paste0("~", v))
    m <- svymean(f, d, na.rm = TRUE)
    entry <- list(overall = list(estimate = unname(coef(m)), se = unname(SE(m))))
    if (v == "unsicher_nachts") {
      entry$overall$ci_logit <- unname(as.numeric(attr(svyciprop(f, d, method = "logit", na.rm = TRUE), "ci")))
    }
    for (by in c("geschlecht", "altersgruppe", "ortsteil")) {
      b <- svyby(f, as.formula(paste0("~", by)), d, svymean, na.rm = TRUE)
      entry[[by]] <- setNames(lapply(seq_len(nrow(b)), function(i)
        list(estimate = unname(b[i, v]), se = unname(SE(b)[i]))), as.character(b[[by]]))
    }
    res[[v]] <- entry
  }
  res
}

result <- list(
  note = paste("R survey", as.character(packageVersion("survey")), "; survey.adjust.domain.lonely =",
               getOption("survey.adjust.domain.lonely")),
  lonely = c(LONELY, list(moved_row = moved, resp_id = r$resp_id[moved])),
  weights = list(calibrated = unname(weights(cal)), uncalibrated = unname(weights(des))),
  fail = list(calibrated = tryCatch({svymean(~unsicher_nachts, cal, na.rm = TRUE); "no error"},
                                    error = function(e) conditionMessage(e)),
              uncalibrated = tryCatch({svymean(~unsicher_nachts, des, na.rm = TRUE); "no error"},
                                      error = function(e) conditionMessage(e))))
for (option in c("adjust", "average", "certainty", "remove")) {
  options(survey.lonely.psu = option)
  result[[option]] <- list(calibrated = estimates(cal), uncalibrated = estimates(des))
}
writeLines(toJSON(result, digits = NA, auto_unbox = TRUE, pretty = TRUE), out)
