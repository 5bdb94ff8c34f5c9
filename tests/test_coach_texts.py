"""Coach chapters (texte/*.md): Markdown → document blocks, shown as text in PDF and HTML (injection
strings are printed, never executed), images only from inside the analysis folder, templates of init."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from survey.report.coach_texts import CHAPTERS, TEMPLATES, load_chapter, strip_comments
from survey.report.document import Document, Image, RichList, RichParagraph, Section, Span, Table
from survey.report.html_render import render_html
from survey.report.markdown import CoachTextError, markdown_blocks
from survey.report.typst_render import compile_pdf

INJECTION = """Vorwort mit **fett**, *kursiv* und `#eval("6*7")`.
Typst: #import "/etc/passwd": * und #eval("6*7") und #set page(fill: red) und ] und [ und $x^2$ und \\\\ und @ref.
HTML: <script>alert("x")</script> <b>fett?</b> <img src=x onerror=alert(1)> &amp; &lt;
[Link](https://www.example.org/a?b=1&c=2) und [böse](javascript:alert(1)).

# Überschrift mit #eval("6*7") und <em>HTML</em>

- Punkt mit `code`
- Punkt mit **#strong[x]**
  - Unterpunkt

3. dritter
4. vierter

| Spalte | #eval("6*7") |
|---|---|
| <script>x</script> | ] |
"""


def _png(path: Path, width: int = 4, height: int = 3) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80\x80\xff" * width for _ in range(height))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def _blocks(folder: Path, text: str, name: str = "vorwort.md") -> list:
    source = folder / "texte" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    return markdown_blocks(text, source=source, root=folder, heading_level=2, id_prefix="vorwort")


def test_markdown_structure(tmp_path):
    blocks = _blocks(tmp_path, INJECTION)
    first = blocks[0]
    assert isinstance(first, RichParagraph)
    assert Span("fett", strong=True) in first.spans and Span("kursiv", emph=True) in first.spans
    assert Span('#eval("6*7")', code=True) in first.spans
    assert Span("", url="https://www.example.org/a?b=1&c=2") in first.spans
    # markdown-it refuses javascript: links: the Markdown stays text
    assert any("[böse](javascript:alert(1))" in s.text for s in first.spans)
    assert Span("", url="javascript:alert(1)").href == "" and Span("", url="mailto:a@b.de").href == "mailto:a@b.de"
    section = blocks[1]
    assert isinstance(section, Section) and section.level == 2
    assert section.heading == 'Überschrift mit #eval("6*7") und <em>HTML</em>'
    bullets, numbered, table = section.blocks
    assert isinstance(bullets, RichList) and not bullets.ordered and len(bullets.items) == 3
    assert bullets.items[2][0] == Span("– ")  # nested item flattened
    assert isinstance(numbered, RichList) and numbered.ordered and numbered.start == 3
    assert isinstance(table, Table) and table.columns == ("Spalte", '#eval("6*7")')
    assert table.rows == (("<script>x</script>", "]"),)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coach")
    _png(folder / "texte" / "bilder" / "foto.png")
    text = INJECTION + '\n![Ein Foto vom Marktplatz](bilder/foto.png "Der Markt im Mai")\n'
    blocks = _blocks(folder, text)
    document = Document("Injektionstest", (Section("Vorwort", tuple(blocks), id="vorwort"),))
    pdf = folder / "test.pdf"
    pdf.write_bytes(compile_pdf(document))
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    return render_html(document), " ".join(pdf_text.split()), pdf


def test_typst_markup_is_printed_not_executed(rendered):
    _, text, _ = rendered
    for literal in ('#import "/etc/passwd": *', '#eval("6*7")', "#set page(fill: red)", "] und [", "$x^2$",
                    "und \\ und", "@ref", "#strong[x]", '<script>alert("x")</script>', "<b>fett?</b>",
                    "Link (https://www.example.org/a?b=1&c=2)", "[böse](javascript:alert(1))"):
        assert literal.replace(" ", "") in text.replace(" ", ""), literal  # line breaks may fall anywhere
    assert " 42 " not in f" {text} "  # #eval was not evaluated
    assert "Überschrift mit #eval" in text


def test_pdf_page_is_not_red_and_has_the_image(rendered):
    _, _, pdf = rendered
    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", str(pdf), str(out)], check=True)
    from PIL import Image as PILImage

    page = PILImage.open(next(pdf.parent.glob("test-*.png"))).convert("RGB")
    assert page.getpixel((2, 2)) == (255, 255, 255)  # #set page(fill: red) was not applied
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header lines + the photo


def test_html_escapes_everything(rendered):
    html, _, _ = rendered
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    assert not soup.find_all("img", attrs={"onerror": True})
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html
    links = [a["href"] for a in soup.find_all("a") if not a["href"].startswith("#")]
    assert links == ["https://www.example.org/a?b=1&c=2"]
    assert "javascript:alert(1)" in soup.get_text() and 'href="javascript' not in html
    assert soup.find("strong").get_text() == "fett" and soup.find("em").get_text() == "kursiv"
    assert soup.find("main").find("ol")["start"] == "3"
    image = soup.find("img")
    assert image["alt"] == "Ein Foto vom Marktplatz" and image["src"].startswith("data:image/png;base64,")
    assert "Der Markt im Mai" in soup.find("figure", id="abb-vorwort-bild-1").get_text()


@pytest.mark.parametrize("src, message", [
    ("../../draussen.png", "liegt außerhalb des Analyseordners"),
    ("/etc/hosts.png", "liegt außerhalb des Analyseordners"),
    ("https://example.org/bild.png", "Bilder werden nur aus dem Analyseordner eingebunden"),
    ("data:image/png;base64,iVBORw0KGgo=", "Bilder werden nur aus dem Analyseordner eingebunden"),
    ("bilder/fehlt.png", "wurde nicht gefunden"),
    ("bilder/kein.png", "ist keine gültige PNG-Datei"),
    ("bilder/text.txt", "Format ».txt« wird nicht unterstützt"),
    ("bilder/link.png", "liegt außerhalb des Analyseordners"),
])
def test_images_only_from_inside_the_folder(tmp_path, src, message):
    folder = tmp_path / "analyse"
    _png(tmp_path / "draussen.png")
    (folder / "texte" / "bilder").mkdir(parents=True)
    (folder / "texte" / "bilder" / "kein.png").write_text("kein Bild", encoding="utf-8")
    (folder / "texte" / "bilder" / "text.txt").write_text("x", encoding="utf-8")
    (folder / "texte" / "bilder" / "link.png").symlink_to(tmp_path / "draussen.png")
    with pytest.raises(CoachTextError) as error:
        _blocks(folder, f"Text\n\n![Bild]({src})\n")
    assert str(error.value).startswith(f"{folder / 'texte' / 'vorwort.md'}, Zeile 3: Bild »{src}«")
    assert message in str(error.value)


def test_templates_hold_only_comments_and_count_as_missing(tmp_path):
    from survey.init_folder import write_text_templates

    written = write_text_templates(tmp_path)
    assert [p.name for p in written] == [c.file for c in CHAPTERS]
    for chapter in CHAPTERS:
        text = (tmp_path / "texte" / chapter.file).read_text(encoding="utf-8")
        assert text == TEMPLATES[chapter.key] and not strip_comments(text).strip()
        assert load_chapter(tmp_path, chapter.key, 2) is None
    (tmp_path / "texte" / "vorwort.md").write_text("Eigener Text.", encoding="utf-8")
    assert write_text_templates(tmp_path) == []  # never overwrites
    assert load_chapter(tmp_path, "vorwort", 2) == [RichParagraph((Span("Eigener Text."),))]


def test_cp1252_and_size_limit(tmp_path, monkeypatch):
    import survey.report.coach_texts as coach

    path = tmp_path / "texte" / "angebote.md"
    path.parent.mkdir()
    path.write_bytes("Jugendhaus für alle".encode("cp1252"))
    assert load_chapter(tmp_path, "angebote", 2) == [RichParagraph((Span("Jugendhaus für alle"),))]
    monkeypatch.setattr(coach, "MAX_BYTES", 5)
    with pytest.raises(CoachTextError, match="zu groß"):
        load_chapter(tmp_path, "angebote", 2)


def test_image_block_refuses_nothing_else(tmp_path):
    png = _png(tmp_path / "texte" / "a.png")
    blocks = _blocks(tmp_path, "![](a.png)")
    assert blocks == [Image("vorwort-bild-1", png.resolve(), "Bild a.png", "")]
