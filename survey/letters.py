"""``sicherheitsanalyse codes``: new access codes, invitation letters (PDF) and a mail-merge CSV.

Each run creates one *Stapel* (batch): N random codes, their hashes in ``DIR/antworten.sqlite`` and two
files in ``DIR/anschreiben/``: ``anschreiben-stapel-K.pdf`` (two pages per code for duplex printing:
the letter, text and sender from ``analyse.yaml`` → ``anschreiben``, and on its back the Art. 13 DSGVO
privacy notice from ``datenschutz``) and ``druckerei-stapel-K.csv`` (the PDF page of each letter's
front and its code, no names, for the print shop that adds the addresses). The plain codes exist only
in these two files; the store keeps hashes. Earlier batches stay valid.

Whoever holds a print-shop list can read saved drafts and answer in the citizens' names, so the list
must be deleted once the letters are printed: :func:`print_shop_warning` says so wherever the
folder is used (``serve``, ``codes``, ``pruefen``), :func:`delete_print_shop_lists` does it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from survey.access_codes import generate_code, hash_code
from survey.errors import ConfigError
from survey.atomic import atomic_path, atomic_write
from survey.folder import AnalysisConfig, AnalysisFolder, load_folder
from survey.privacy_notice import privacy_notice
from survey.report.formatting import long_date
from survey.resources import report_templates_dir
from survey.safe_cells import neutralise
from survey.store import STORE_NAME, AnswerStore

LETTER_DIR = "anschreiben"
LETTER_TEMPLATE = "anschreiben.typ"
MAX_CODES = 100_000
PAGES_PER_LETTER = 2
PRINT_SHOP_PATTERN = "druckerei-stapel-*.csv"
LETTERS_PATTERN = "anschreiben-stapel-*.pdf"

DEFAULT_TEXT = (
    "Ihre Gemeinde möchte wissen, wie sicher Sie sich in {kommune} fühlen, was Ihnen Sorgen macht und "
    "wo Sie Handlungsbedarf sehen. Dazu befragen wir im Jahr {jahr} zufällig ausgewählte Einwohnerinnen und "
    "Einwohner ab 16 Jahren. Sie sind eine oder einer davon.\n\n"
    "Die Befragung dauert etwa 15 Minuten. Ihre Teilnahme ist freiwillig, aber sehr wichtig: Nur wenn "
    "viele mitmachen, ergeben die Antworten ein zuverlässiges Bild für ganz {kommune}."
)


@dataclass(frozen=True)
class CodeBatch:
    """The result of one ``codes`` run."""

    batch: int
    count: int
    letters_pdf: Path
    mail_merge_csv: Path
    issued_total: int


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def letter_data(config: AnalysisConfig, codes: list[str], day: _dt.date | None = None) -> dict:
    """The JSON document the letter template reads (all text already in German)."""
    letter = config.anschreiben
    if not letter.url:
        raise ConfigError(
            "Für die Anschreiben fehlt die Internetadresse der Befragung: bitte unter »anschreiben« "
            "den Eintrag »url« angeben (z. B. url: \"https://befragung.example.de\").",
        )
    values = {"kommune": config.kommune, "jahr": str(config.jahr), "url": letter.url, "frist": letter.frist or ""}
    text = _fill(letter.text or DEFAULT_TEXT, values)
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]
    steps = "Bitte rufen Sie die Internetadresse auf und geben Sie dort Ihren Zugangscode ein."
    if letter.frist:
        steps += f" Bitte nehmen Sie bis zum {letter.frist} teil."
    notes = [
        steps,
        "Der Code gilt für genau einen ausgefüllten Fragebogen. Sie können unterbrechen und später mit "
        "demselben Code weitermachen.",
        "Ihre Antworten werden ohne Verbindung zu Ihrem Code, Ihrem Namen oder Ihrer Anschrift "
        "gespeichert. Niemand, auch nicht die Verwaltung, kann erkennen, wer was geantwortet hat. "
        "Ausgewertet werden nur Zusammenfassungen vieler Antworten. Die Datenschutzhinweise stehen "
        "auf der Rückseite.",
    ]
    return {
        **_languages_part(config),
        "title": f"Anschreiben Bürgerbefragung {config.kommune} {config.jahr}",
        "absender": letter.absender or f"{config.kommune}",
        "unterschrift": letter.unterschrift or "",
        "datum": long_date(day or _dt.date.today()),
        "betreff": f"Bürgerbefragung zur Sicherheit in {config.kommune} {config.jahr}",
        "anrede": "Sehr geehrte Damen und Herren,",
        "absaetze": paragraphs,
        "hinweise": notes,
        "url": letter.url,
        "codes": codes,
        "datenschutz": privacy_notice(config).as_dict(),
    }


def _languages_part(config: AnalysisConfig) -> dict:
    """The bilingual part (``sprachen`` in analyse.yaml): the second language's short letter, code label and one
    line in each offered language saying the questionnaire is available in it; empty without ``sprachen``."""
    from survey.languages import LANGUAGES
    from survey.paper_texts import paper_texts

    chosen = config.sprachen
    if chosen is None or not chosen.angeboten:
        return {"zweite": None, "angeboten": []}
    lines = []
    for code in chosen.angeboten:
        tx = paper_texts(code)
        if not tx.has("available"):
            continue
        language = LANGUAGES[code]
        lines.append({"text": tx.get("available"), "lang": language.html_lang, "dir": language.direction})
    names = [LANGUAGES[code].german_name for code in chosen.angeboten]
    german_line = ("Den Fragebogen gibt es auch auf " + (names[0] if len(names) == 1 else
                   ", ".join(names[:-1]) + " und " + names[-1]) + ": im Internet (Sprache oben auf der Seite "
                   "wählen) oder auf Papier.")
    second = None
    if chosen.zweite is not None:
        tx = paper_texts(chosen.zweite)
        language = LANGUAGES[chosen.zweite]
        second = {"lang": language.html_lang, "region": language.typst_region, "dir": language.direction,
                  "intro": tx.get("letter_intro", kommune=config.kommune), "code_label": tx.get("letter_code"),
                  "steps": tx.get("letter_steps")}
    return {"zweite": second, "angeboten": lines, "angeboten_de": german_line}


def render_letters(config: AnalysisConfig, codes: list[str], target: Path, day: _dt.date | None = None) -> None:
    """Write the letters PDF (one page per code) to ``target`` (atomically)."""
    import typst

    data = json.dumps(letter_data(config, codes, day), ensure_ascii=False)
    template = report_templates_dir() / LETTER_TEMPLATE
    from survey.report.side_process import mark_fork_unsafe
    from survey.report.typst_render import font_paths

    with atomic_path(target) as temp:
        mark_fork_unsafe()  # Typst's thread pool does not survive a fork (survey.report.side_process)
        typst.compile(
            str(template), output=str(temp), root=str(template.parent), font_paths=font_paths(),
            ignore_system_fonts=True, sys_inputs={"data": data}, pdf_standards=["ua-1"],
        )
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", temp.read_bytes()))
        if pages != PAGES_PER_LETTER * len(codes):
            # The print-shop list names each letter's page; a letter on two pages would shift them all.
            raise ConfigError("Das Anschreiben passt nicht auf eine Seite (Vorderseite); bitte den Text unter "
                              "»anschreiben.text« kürzen" + (" oder weniger Sprachen unter »sprachen.angeboten« "
                              "nennen" if config.sprachen else "") + ". Es wurde nichts geschrieben.")


def write_mail_merge(codes: list[str], target: Path) -> None:
    """The print shop's CSV: ``seite;zugangscode`` (PDF page of the letter's front, code); no names."""
    with atomic_write(target) as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(["seite", "zugangscode"])
        for number, code in enumerate(codes):
            writer.writerow([number * PAGES_PER_LETTER + 1, neutralise(code)])


def print_shop_lists(folder: str | Path) -> list[Path]:
    """The print-shop lists (``anschreiben/druckerei-stapel-K.csv``) still in the folder."""
    return sorted((Path(folder) / LETTER_DIR).glob(PRINT_SHOP_PATTERN))


def letter_pdfs(folder: str | Path) -> list[Path]:
    return sorted((Path(folder) / LETTER_DIR).glob(LETTERS_PATTERN))


def print_shop_warning(folder: str | Path, keep: Path | None = None) -> str | None:
    """A German warning while print-shop lists exist (other than ``keep``, the one just written)."""
    lists = [path for path in print_shop_lists(folder) if path != keep]
    if not lists:
        return None
    names = ", ".join(path.name for path in lists)
    return (f"Warnung: Die Druckerei-Liste liegt noch im Analyseordner ({names}). Wer sie hat, kann "
            "gespeicherte Zwischenstände lesen und im Namen der Angeschriebenen antworten. Bitte nach dem "
            f"Druck löschen: sicherheitsanalyse druckliste-loeschen {Path(folder)}")


def shred(path: Path) -> int:
    """Overwrite a file with zeros, flush it to disk and delete it; returns its size.

    On SSDs and copy-on-write file systems the old blocks may survive (``docs/datenschutz.md``).
    """
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.write(bytes(size))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    return size


def delete_print_shop_lists(folder: str | Path) -> list[Path]:
    """Shred every print-shop list of the folder; returns the deleted paths."""
    deleted = []
    for path in print_shop_lists(folder):
        shred(path)
        deleted.append(path)
    return deleted


def issue_codes(folder_path: str | Path, count: int) -> CodeBatch:
    """Create ``count`` new codes: letters PDF, mail-merge CSV and hashes in the store; all or nothing."""
    folder: AnalysisFolder = load_folder(folder_path)
    if not 1 <= count <= MAX_CODES:
        raise ConfigError(f"Anzahl {count} ungültig: erlaubt sind 1 bis 100.000 Codes je Lauf.")
    letter_data(folder.config, [])  # a missing URL or sender is refused before anything is created
    store = AnswerStore(folder.path / STORE_NAME)
    store.require_open()
    batch = store.next_batch()
    codes: list[str] = []
    hashes: list[str] = []
    seen: set[str] = set()
    salt = store.code_salt
    while len(codes) < count:
        code = generate_code()
        code_hash = hash_code(code, salt)
        if code_hash in seen or store.has_code(code_hash):
            continue
        seen.add(code_hash)
        hashes.append(code_hash)
        codes.append(code)
    out_dir = folder.path / LETTER_DIR
    pdf_path = out_dir / f"anschreiben-stapel-{batch}.pdf"
    csv_path = out_dir / f"druckerei-stapel-{batch}.csv"
    with atomic_path(csv_path) as csv_temp:
        write_mail_merge(codes, csv_temp)
        with atomic_path(pdf_path) as pdf_temp:
            render_letters(folder.config, codes, pdf_temp)
            # The hashes go in last: if rendering failed, nothing was stored; if this fails,
            # both files are removed again.
            store.add_codes(hashes, batch)
    issued, _ = store.code_counts()
    store.close()
    return CodeBatch(batch=batch, count=count, letters_pdf=pdf_path, mail_merge_csv=csv_path, issued_total=issued)
