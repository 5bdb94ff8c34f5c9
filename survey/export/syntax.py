"""Syntax files that set up the survey design in SPSS (Complex Samples) and in R (``survey``).

The R script rebuilds the calibration exactly as the toolkit does it (R ``survey::calibrate`` with one
0/1 column per margin category, 0 for respondents without that characteristic, the same targets,
calfun and bounds), checks the result against the exported ``gewicht`` column and then estimates the
core indicators: estimates *and* standard errors equal the toolkit's (Taylor linearisation with
calibration residuals). SPSS Complex Samples cannot calibrate; the plan uses the calibrated weight
with strata and fpc, so the estimates are equal and the standard errors omit the (small) variance
reduction from calibration. Both files say so in German comments.
"""

from __future__ import annotations

import math

from survey.export.dataset import DESIGN_WEIGHT, FPC, STRATUM, WEIGHT, Dataset

SPSS_LINE = 78


def _r_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _r_number(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else f"{float(value):.1f}"


def _r_value(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(float(value)):
        return _r_number(value)
    return _r_string(str(value))


def core_indicator_ids(dataset: Dataset) -> list[str]:
    """Indicators estimated by the syntax files: the core ones, else all (in definition order)."""
    indicators = list(dataset.questionnaire.indicators)
    core = [d.id for d in indicators if d.core]
    return core or [d.id for d in indicators]


def calibration_columns(dataset: Dataset) -> list[tuple[str, str, object, float]]:
    """(column name, variable, category value, target) for every calibration column."""
    result = []
    used: set[str] = set()
    for margin in dataset.design.margins:
        value = margin.value
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        base = "kal_" + margin.variable + "_" + "".join(ch if ch.isalnum() else "_" for ch in text)
        name, k = base, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        result.append((name, margin.variable, value, margin.target))
    return result


def r_script(dataset: Dataset, data_file: str, fmt: str) -> str:
    design = dataset.design
    reader = {
        "csv": 'daten <- read.csv(datei, fileEncoding = "UTF-8-BOM", stringsAsFactors = FALSE)',
        "sav": ('if (requireNamespace("haven", quietly = TRUE)) {\n'
                '  daten <- as.data.frame(haven::read_sav(datei))\n'
                '} else {\n'
                '  daten <- foreign::read.spss(datei, to.data.frame = TRUE, use.value.labels = FALSE)\n'
                '}'),
        "dta": ('if (!requireNamespace("haven", quietly = TRUE)) stop("Zum Lesen der Stata-Datei bitte das '
                'R-Paket haven installieren.")\n'
                'daten <- as.data.frame(haven::read_dta(datei))'),
        "parquet": ('if (!requireNamespace("arrow", quietly = TRUE)) stop("Zum Lesen der Parquet-Datei bitte das '
                    'R-Paket arrow installieren.")\n'
                    'daten <- as.data.frame(arrow::read_parquet(datei))'),
    }[fmt]
    columns = calibration_columns(dataset)
    lines = [
        f"# Stichprobendesign und Gewichtung: Sicherheitsanalyse {dataset.kommune}, Welle {dataset.welle}",
        "# Erzeugt von »sicherheitsanalyse export«. Bildet das Design (Schichten, Endlichkeitskorrektur) und",
        "# die Kalibrierung des Werkzeugs mit dem R-Paket survey nach; Schätzwerte und Standardfehler",
        "# stimmen mit denen des Werkzeugs überein.",
        "# Aufruf:  Rscript " + f"{data_file.rsplit('.', 1)[0]}.R [ergebnisse.csv]",
        "# (die Datendatei muss im selben Ordner wie dieses Skript liegen).",
        "suppressMessages(library(survey))",
        "argumente <- commandArgs(trailingOnly = TRUE)",
        'skript <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))',
        "ordner <- if (length(skript) == 1) dirname(skript) else getwd()",
        f"datei <- file.path(ordner, {_r_string(data_file)})",
        reader,
        "# Beschriftete Werte (haven) als einfache Zahlen; fehlende Codes (8, 9) sind dann NA.",
        "daten[] <- lapply(daten, function(x) if (is.numeric(x)) as.vector(unclass(x)) else as.vector(x))",
        "",
        "# Kalibrierungsmodell: eine 0/1-Spalte je Kategorie jeder Randverteilung; wer das Merkmal nicht",
        "# angegeben hat (oder eine Kategorie ohne Bevölkerungszahl, z. B. divers), hat dort überall 0.",
    ]
    for name, variable, value, _ in columns:
        lines.append(f"daten${name} <- as.numeric(!is.na(daten${variable}) & daten${variable} == {_r_value(value)})")
    population = [f'  "(Intercept)" = {_r_number(design.total)}']
    population += [f"  {name} = {_r_number(target)}" for name, _, _, target in columns]
    lines += ["sollwerte <- c(", ",\n".join(population), ")"]
    if design.stratified:
        lines.append(f"design <- svydesign(ids = ~1, strata = ~{STRATUM}, fpc = ~{FPC}, weights = ~{DESIGN_WEIGHT}, "
                     "data = daten)")
    else:
        lines.append(f"design <- svydesign(ids = ~1, weights = ~{DESIGN_WEIGHT}, data = daten)")
    formula = " + ".join(name for name, _, _, _ in columns) or "1"
    options = [f'calfun = "{design.calfun}"']
    if design.bounds is not None:
        options.append(f"bounds = c({_r_number(design.bounds[0])}, {_r_number(design.bounds[1])})")
    if design.trim is not None:
        options.append(f"trim = c({_r_number(design.trim[0])}, {_r_number(design.trim[1])})")
    lines += [
        f"kalibriert <- calibrate(design, ~{formula}, population = sollwerte, {', '.join(options)})",
        f"abweichung <- max(abs(weights(kalibriert) - daten${WEIGHT}) / daten${WEIGHT})",
        'if (abweichung > 1e-6) warning("Die Gewichte weichen von der Spalte gewicht ab (relativ bis ", '
        'signif(abweichung, 3), ").")',
        'cat("Gewichte wie im Werkzeug (größte relative Abweichung", signif(abweichung, 3), ")\\n")',
        "",
        "# Kernindikatoren: Anteile (0/1) mit logit-Intervall, Indizes als Mittelwert mit t-Intervall.",
        "indikatoren <- c(" + ", ".join(_r_string(i) for i in core_indicator_ids(dataset)) + ")",
        "indizes <- c(" + ", ".join(_r_string(d.id) for d in dataset.questionnaire.indicators if d.is_index) + ")",
        "ergebnisse <- do.call(rbind, lapply(indikatoren, function(v) {",
        '  f <- as.formula(paste0("~", v))',
        "  m <- svymean(f, kalibriert, na.rm = TRUE)",
        "  ki <- if (v %in% indizes) confint(m, df = degf(kalibriert)) else",
        '    attr(svyciprop(f, kalibriert, method = "logit", na.rm = TRUE), "ci")',
        "  data.frame(indikator = v, schaetzwert = unname(coef(m)), se = unname(SE(m)),",
        "             ki_unten = unname(ki[1]), ki_oben = unname(ki[2]), n = sum(!is.na(daten[[v]])))",
        "}))",
        "print(ergebnisse, digits = 6, row.names = FALSE)",
        "if (length(argumente) >= 1) write.csv(ergebnisse, argumente[1], row.names = FALSE)",
        "",
    ]
    return "\n".join(lines)


def _spss_list(names: list[str], indent: str) -> str:
    lines, current = [], indent
    for name in names:
        if len(current) + len(name) + 1 > SPSS_LINE and current.strip():
            lines.append(current.rstrip())
            current = indent
        current += name + " "
    lines.append(current.rstrip())
    return "\n".join(lines)


def spss_syntax(dataset: Dataset, data_file: str) -> str:
    design = dataset.design
    plan = data_file.rsplit(".", 1)[0] + ".csaplan"
    indicators = core_indicator_ids(dataset)
    lines = [
        f"* Stichprobenplan: Sicherheitsanalyse {dataset.kommune}, Welle {dataset.welle}.",
        "* Erzeugt von »sicherheitsanalyse export«. Benötigt das Modul Complex Samples.",
        "* Die Datei im Ordner der Datendatei ausführen (CD-Befehl anpassen, falls nötig).",
        "* Hinweis: SPSS kann nicht kalibrieren. Der Plan nutzt das kalibrierte Gewicht »gewicht« mit",
        "* Schichten und Endlichkeitskorrektur: die Schätzwerte stimmen mit dem Werkzeug überein, die",
        "* Standardfehler sind etwas größer, weil der Varianzgewinn der Kalibrierung fehlt (exakt: R-Skript).",
        "* Fehlende Codes (8 weiß nicht, 9 keine Angabe) sind als benutzerdefiniert fehlend markiert.",
        f"GET FILE='{data_file}'.",
        "CSPLAN ANALYSIS",
        f"  /PLAN FILE='{plan}'",
        f"  /PLANVARS ANALYSISWEIGHT={WEIGHT}",
    ]
    if design.stratified:
        lines += ["  /SRSESTIMATOR TYPE=WOR", f"  /DESIGN STRATA={STRATUM}", "  /ESTIMATOR TYPE=EQUAL_WOR",
                  f"  /POPSIZE VARIABLE={FPC}."]
    else:
        lines += ["  /SRSESTIMATOR TYPE=WR", "  /DESIGN", "  /ESTIMATOR TYPE=WR."]
    lines += [
        "* Kernindikatoren (Anteile als Mittelwert der 0/1-Variablen, Indizes als Mittelwert).",
        "CSDESCRIPTIVES",
        f"  /PLAN FILE='{plan}'",
        "  /SUMMARY VARIABLES=" + _spss_list(indicators, " " * 21).lstrip(),
        "  /MEAN",
        "  /STATISTICS SE CIN(95) COUNT",
        "  /MISSING SCOPE=ANALYSIS CLASSMISSING=EXCLUDE.",
        "",
    ]
    return "\n".join(lines)
