"""Build ``kr_f_01_t01_2023.xlsx``: a small mock of the BKA Kreis table KR-F-01-T01.

Layout as described in research/domain.md §3.5 (title block, two header rows with merged cells, a row of
column numbers, data from row 10; columns A-R). Run ``python make_kreis_table.py`` to rebuild.
Figures: LK Meißen and LK Sächsische Schweiz-Osterzgebirge totals 2023 are the published ones
(domain.md §5.2); all other counts are invented. Populations (31.12.2023) as in domain.md §5.2.
Some cells are stored as numbers on purpose (key 010000 as 10000, AGS 01001 as 1001).
"""

from pathlib import Path

import openpyxl

POPULATION = {"14627": 241160, "14628": 246011, "01001": 92550}
NAMES = {"14627": ("Meißen", "LK"), "14628": ("Sächsische Schweiz-Osterzgebirge", "LK"),
         "01001": ("Flensburg", "KfS")}
# key, label, cases and cleared per Kreis
ROWS = [
    ("------", "Straftaten insgesamt", {"14627": (11822, 7030), "14628": (19158, 14707), "01001": (9030, 5412)}),
    (10000, "Straftaten gegen das Leben", {"14627": (9, 9), "14628": (11, 10), "01001": (4, 4)}),
    ("890000", "Straftaten insgesamt, jedoch ohne Verstöße gegen das Aufenthalts-, das Asyl- und das "
     "Freizügigkeitsgesetz/EU", {"14627": (11502, 6720), "14628": (10421, 6010), "01001": (8611, 5000)}),
    ("725000", "Straftaten gegen das Aufenthalts-, das Asyl- und das Freizügigkeitsgesetz/EU",
     {"14627": (320, 310), "14628": (8737, 8697), "01001": (419, 412)}),
    ("435*00", "Wohnungseinbruchdiebstahl §§ 244 Abs. 1 Nr. 3 und Abs. 4, 244a StGB",
     {"14627": (131, 22), "14628": (102, 19), "01001": (88, 9)}),
    ("***300", "Diebstahl von Fahrrädern einschl. unbefugte Ingebrauchnahme",
     {"14627": (702, 61), "14628": (645, 55), "01001": (1190, 60)}),
    ("674000", "Sachbeschädigung §§ 303-305a StGB", {"14627": (1391, 350), "14628": (1280, 330), "01001": (960, 200)}),
    ("892000", "Gewaltkriminalität", {"14627": (402, 320), "14628": (380, 310), "01001": (230, 180)}),
    ("730000", "Rauschgiftdelikte (soweit nicht bereits mit anderer Schlüsselzahl erfasst)",
     {"14627": (620, 580), "14628": (700, 660), "01001": (610, 590)}),
]


def build(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "T01"
    sheet["A1"] = "Polizeiliche Kriminalstatistik 2023"
    sheet["A2"] = "Bundesrepublik Deutschland - Kreise"
    sheet["A3"] = "Fälle, Häufigkeitszahlen und Aufklärung - 400 Kreise x 41 ausgewählte Straftaten(gruppen)"
    sheet["A4"] = "Tabelle KR-F-01-T01"
    sheet["R4"] = "V1.0 erstellt am: 05.03.2024"
    top = ["Schlüssel", "Straftat", "Gemeinde-\nschlüssel", "Stadt-/Landkreis", "Kreisart", "erfasste Fälle",
           "HZ nach Zensus 2011", "Versuche", None, "mit Schusswaffe", None, "aufgeklärte Fälle",
           "Aufklärungsquote", "Tatverdächtige insgesamt", "Tatverdächtige", None, "Nichtdeutsche Tatverdächtige",
           None]
    sub = [None] * 7 + ["Anzahl", "Anteil in %", "gedroht", "geschossen", None, None, None, "männlich", "weiblich",
                        "Anzahl", "Anteil in %"]
    for col, (a, b) in enumerate(zip(top, sub), start=1):
        sheet.cell(6, col, a)
        sheet.cell(7, col, b)
        sheet.cell(8, col, col)
    for first, last in (("H6", "I6"), ("J6", "K6"), ("O6", "P6"), ("Q6", "R6")):
        sheet.merge_cells(f"{first}:{last}")
    for col in "ABCDEFGLMN":
        sheet.merge_cells(f"{col}6:{col}7")
    row = 10
    for key, label, by_area in ROWS:
        for area, (cases, cleared) in by_area.items():
            name, kind = NAMES[area]
            hz = round(cases * 100000 / POPULATION[area], 1)
            values = [key, label, int(area) if area == "01001" else area, name, kind, cases, hz,
                      round(cases * 0.03), 3.0, 0, 0, cleared, round(100 * cleared / cases, 1),
                      round(cleared * 0.8), round(cleared * 0.6), round(cleared * 0.2), round(cleared * 0.2), 25.0]
            for col, value in enumerate(values, start=1):
                sheet.cell(row, col, value)
            row += 1
    sheet.cell(row + 1, 1, "Hinweis: Häufigkeitszahl = Fälle je 100.000 Einwohner.")
    book.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("kr_f_01_t01_2023.xlsx"))
