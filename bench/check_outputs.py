"""Check that a change left the results alone: run every sample commune and compare its outputs with an
earlier run (prints differences; exit status 1 if any).

    python bench/check_outputs.py save DIR        # run every sample commune, keep the outputs in DIR/<slug>/
    python bench/check_outputs.py compare OLD NEW # compare two such folders

Made for speed work (issue 13): save before the change, save after it, compare. Compared per commune:
``profil.json`` exactly (every key and number; only ``created``, the run date, is left out),
``gewichte.csv`` and ``pruefprotokoll.csv`` byte for byte, every cell value of ``tabellenband.xlsx``,
the text of ``bericht.pdf`` and ``kurzbericht.pdf`` (``pdftotext -layout``) and ``bericht.html`` without
its inline SVG charts (charts are compared as their texts). A folder written by ``sicherheitsanalyse
run`` (``DIR/<slug>/ergebnis/``) can also be given as OLD or NEW.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTPUTS = ("profil.json", "gewichte.csv", "pruefprotokoll.csv", "tabellenband.xlsx", "bericht.pdf",
           "kurzbericht.pdf", "bericht.html")
VOLATILE_KEYS = ("created",)


def sample_communes() -> list[str]:
    return sorted(p.name for p in (ROOT / "sample_data").iterdir() if (p / "analyse.yaml").is_file())


def save(target: Path) -> None:
    from survey.pipeline import run_folder

    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for slug in sample_communes():
            folder = Path(tmp) / slug
            shutil.copytree(ROOT / "sample_data" / slug, folder, ignore=shutil.ignore_patterns("ergebnis"))
            run_folder(folder)
            (target / slug).mkdir(exist_ok=True)
            for name in OUTPUTS:
                shutil.copyfile(folder / "ergebnis" / name, target / slug / name)
            print(f"{slug}: gespeichert")


def _outputs(root: Path, slug: str) -> Path:
    return root / slug / "ergebnis" if (root / slug / "ergebnis").is_dir() else root / slug


def _json_diff(old, new, path: str = "") -> list[str]:
    if type(old) is not type(new):
        return [f"{path or '/'}: {old!r} != {new!r}"]
    if isinstance(old, dict):
        out = [f"{path}/{k}: nur in einem" for k in sorted(set(old) ^ set(new))]
        for key in old.keys() & new.keys():
            out += _json_diff(old[key], new[key], f"{path}/{key}")
        return out
    if isinstance(old, list):
        if len(old) != len(new):
            return [f"{path}: Länge {len(old)} != {len(new)}"]
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in _json_diff(a, b, f"{path}/{i}")]
    return [] if old == new or (old != old and new != new) else [f"{path}: {old!r} != {new!r}"]


def _profile(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_KEYS:
        data.pop(key, None)
    return data


def _cells(path: Path) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _html_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    # charts: keep their texts (labels, values), drop coordinates and ids
    return re.sub(r"<svg\b.*?</svg>", lambda m: " ".join(re.findall(r">([^<>]+)<", m.group(0))), html, flags=re.S)


def compare(old_root: Path, new_root: Path) -> int:
    problems = 0
    for slug in sample_communes():
        old, new = _outputs(old_root, slug), _outputs(new_root, slug)
        diffs: list[str] = []
        for name in OUTPUTS:
            a, b = old / name, new / name
            if not a.is_file() or not b.is_file():
                diffs.append(f"{name}: fehlt in {'OLD' if not a.is_file() else 'NEW'}")
                continue
            if name == "profil.json":
                found = _json_diff(_profile(a), _profile(b))
                diffs += [f"profil.json {d}" for d in found[:20]] + \
                    ([f"profil.json: … {len(found) - 20} weitere"] if len(found) > 20 else [])
            elif name.endswith(".csv"):
                if a.read_bytes() != b.read_bytes():
                    diffs.append(f"{name}: Inhalt verschieden")
            elif name.endswith(".xlsx"):
                ca, cb = _cells(a), _cells(b)
                if ca != cb:
                    sheets = [s for s in sorted(set(ca) | set(cb)) if ca.get(s) != cb.get(s)]
                    diffs.append(f"{name}: Zellen verschieden in {', '.join(sheets)}")
            elif name.endswith(".pdf"):
                if _pdf_text(a) != _pdf_text(b):
                    diffs.append(f"{name}: Text verschieden")
            elif _html_text(a) != _html_text(b):
                diffs.append(f"{name}: Text verschieden")
        problems += bool(diffs)
        print(f"{slug}: " + ("gleich" if not diffs else "VERSCHIEDEN\n  " + "\n  ".join(diffs)))
    return 1 if problems else 0


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "save":
        save(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
