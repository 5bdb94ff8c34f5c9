"""One chart style for every report figure, and the :class:`Chart` value charts return.

* Okabe-Ito palette (colour-blind safe); series also differ by marker shape, so charts survive
  greyscale printing.
* matplotlib's DejaVu Sans (shipped with matplotlib; the Typst renderer adds matplotlib's font folder
  to Typst's font paths so PDF and HTML show the same face). Text stays text in the SVG
  (``svg.fonttype = "none"``): searchable, scalable, small.
* No titles inside figures: captions come from the document. German tick labels via
  :func:`percent_formatter`, :func:`number_formatter`.
* Deterministic SVG: fixed ``svg.hashsalt``, no date metadata, so tests can compare output.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from survey.report import formatting as fmt  # noqa: E402

# Okabe & Ito (2008): black omitted; order chosen for contrast of the first series.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "skyblue": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
}
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
SERIES_MARKERS = ("o", "D", "s", "^", "v", "P")
MUTED = "#6b6b6b"
GRID = "#dddddd"
# Diverging Likert colours, most negative → most positive (orange/vermillion vs blues).
LIKERT_NEGATIVE = ("#D55E00", "#E69F00")
LIKERT_POSITIVE = ("#56B4E9", "#0072B2")

WIDTH_CM = 16.0
FONT_FAMILY = "DejaVu Sans"

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "font.size": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": False,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
    "svg.fonttype": "none",
    "svg.hashsalt": "sicherheitsanalyse",
    "svg.image_inline": True,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "pdf.fonttype": 42,
}


@dataclass(frozen=True)
class Chart:
    """A rendered chart: standalone SVG document, German alt text, size and chart family.

    ``svg`` is a complete SVG file (for files and Typst ``image``); :meth:`inline_svg` gives the
    element for embedding in HTML with unique ids, ``role="img"`` and a ``<title>``.
    """

    svg: str
    alt_text: str
    kind: str
    width_cm: float
    height_cm: float

    def inline_svg(self, element_id: str) -> str:
        """The ``<svg>`` element for inline HTML: ids prefixed with ``element_id`` (several charts in
        one page must not share ids), ``role="img"``, ``aria-labelledby`` pointing at a ``<title>``
        holding the alt text (HTML-escaped)."""
        from html import escape

        if not re.fullmatch(r"[A-Za-z][\w-]*", element_id):
            raise ValueError(f"invalid element id {element_id!r}")
        body = self.svg[self.svg.index("<svg"):]
        body = re.sub(r"\s*<metadata>.*?</metadata>", "", body, count=1, flags=re.S)
        body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{element_id}-{m.group(1)}"', body)
        body = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{element_id}-{m.group(1)})", body)
        body = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{element_id}-{m.group(1)}"', body)
        title_id = f"{element_id}-title"
        open_tag_end = body.index(">") + 1
        open_tag = body[:open_tag_end - 1].replace(f' id="{element_id}-', ' data-mpl-id="', 1)
        head = (
            f'{open_tag} id="{element_id}" role="img" aria-labelledby="{title_id}">'
            f'<title id="{title_id}">{escape(self.alt_text)}</title>'
        )
        return head + body[open_tag_end:]


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the report style for the duration of one chart."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(height_cm: float, width_cm: float = WIDTH_CM) -> tuple[Figure, object]:
    """A figure with one axes of the given size (cm). Use inside :func:`chart_style`."""
    fig = empty_figure(height_cm, width_cm)
    ax = fig.add_subplot(1, 1, 1)
    return fig, ax


def empty_figure(height_cm: float, width_cm: float = WIDTH_CM) -> Figure:
    """A figure of the given size (cm) without axes, for charts that lay out their own."""
    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54))


def finish(fig: Figure, alt_text: str, kind: str) -> Chart:
    """Serialise ``fig`` to deterministic SVG, cut to its tight bounding box, and wrap it as
    :class:`Chart`."""
    svg = tight_svg(fig, metadata={"Date": None, "Creator": None})
    # Size of the tight bounding box actually written (pt → cm), not the nominal figure size.
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"[^>]*\sheight="([\d.]+)pt"', svg)
    if match is None:  # pragma: no cover - tight_svg always writes both
        raise RuntimeError("SVG without width/height")
    width_cm, height_cm = (round(float(v) / 72 * 2.54, 2) for v in match.groups())
    return Chart(svg=svg, alt_text=alt_text, kind=kind, width_cm=width_cm, height_cm=height_cm)


def warm_up() -> None:
    """Draw a small chart and throw it away: the font file is read and matplotlib's caches are filled, so
    the first chart of a report costs no more than the others. ``run``'s report process does this while it
    waits for the profile (its side process inherits the caches)."""
    with chart_style():
        fig, ax = new_figure(3.0)
        ax.barh([0, 1], [0.3, 0.5])
        ax.set_yticks([0, 1], ["Ä", "ß"])
        ax.annotate("1 %", (0.3, 0))
        ax.xaxis.set_major_formatter(percent_formatter())
        finish(fig, "", "warm-up")


def tight_svg(fig: Figure, metadata: dict) -> str:
    """The SVG of ``fig`` cut to its tight bounding box plus ``savefig.pad_inches``, drawn once.

    ``savefig(bbox_inches="tight")`` draws every figure twice: a dry run to measure the texts, then the
    real drawing (charts were a third of the report time). Here ``savefig`` draws once onto a canvas three
    times the figure's size with the figure in the middle (an explicit ``bbox_inches`` needs no dry run),
    so nothing that reaches beyond the figure (long labels, a legend below the axes) is clipped; the tight
    box is then measured with the renderer of that drawing (its text sizes are cached), exactly as
    ``savefig`` measures it, and the root element's size and ``viewBox`` select the box: the same picture
    and size as ``bbox_inches="tight"``. A figure reaching further out is saved the usual way.
    """
    from matplotlib.backends.backend_svg import _short_float_fmt
    from matplotlib.transforms import Bbox

    width, height = fig.get_size_inches()
    renderers: list = []
    listener = fig.canvas.mpl_connect("draw_event", lambda event: renderers.append(event.renderer))
    buffer = io.StringIO()
    try:
        fig.savefig(buffer, format="svg", metadata=metadata,
                    bbox_inches=Bbox.from_extents(-width, -height, 2 * width, 2 * height))
    finally:
        fig.canvas.mpl_disconnect(listener)
    dpi = fig.dpi
    try:
        fig.dpi = 72  # as while drawing the SVG (user units are points)
        box = fig.get_tightbbox(renderers[-1]).padded(matplotlib.rcParams["savefig.pad_inches"])
    finally:
        fig.dpi = dpi
    svg = buffer.getvalue()
    canvas = f'width="{_short_float_fmt(3 * width * 72)}pt" height="{_short_float_fmt(3 * height * 72)}pt" ' \
             f'viewBox="0 0 {_short_float_fmt(3 * width * 72)} {_short_float_fmt(3 * height * 72)}"'
    inside = -width <= box.x0 and box.x1 <= 2 * width and -height <= box.y0 and box.y1 <= 2 * height
    if not inside or canvas not in svg:  # pragma: no cover - very wide labels, or another SVG header
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata=metadata, bbox_inches="tight")
        return buffer.getvalue()
    w, h = _short_float_fmt(box.width * 72), _short_float_fmt(box.height * 72)
    x0, y0 = _short_float_fmt((box.x0 + width) * 72), _short_float_fmt((2 * height - box.y1) * 72)
    return svg.replace(canvas, f'width="{w}pt" height="{h}pt" viewBox="{x0} {y0} {w} {h}"', 1)


def percent_formatter(digits: int = 0) -> FuncFormatter:
    """Axis formatter for shares in [0, 1]: ``0.4`` → ``40 %``."""
    return FuncFormatter(lambda x, _pos: fmt.percent(x, digits))


def number_formatter(digits: int = 0) -> FuncFormatter:
    """Axis formatter for plain numbers: thousands dot, decimal comma."""
    if digits == 0:
        return FuncFormatter(lambda x, _pos: fmt.integer(x))
    return FuncFormatter(lambda x, _pos: fmt.decimal(x, digits))


def ratio_formatter() -> FuncFormatter:
    """Axis formatter for ratios on a log axis: ``0.5`` → ``0,5``, ``2`` → ``2``."""

    def _format(x: float, _pos: int) -> str:
        if x <= 0:
            return ""
        digits = 0 if abs(x - round(x)) < 1e-9 else (1 if abs(x * 10 - round(x * 10)) < 1e-9 else 2)
        return fmt.decimal(x, digits)

    return FuncFormatter(_format)


def height_for_rows(rows: int, *, per_row_cm: float = 0.75, extra_cm: float = 2.0) -> float:
    """Figure height for a chart with ``rows`` horizontal rows."""
    return round(max(4.0, rows * per_row_cm + extra_cm), 2)


LINE_CM = 0.36  # height of one wrapped tick-label line at 8.5 pt, with leading


def row_height_for_labels(labels, width: int, base_cm: float) -> float:
    """Row height (cm) so that tick labels wrapped at ``width`` characters do not overlap."""
    import textwrap

    lines = max((len(textwrap.wrap(str(label), width)) or 1 for label in labels), default=1)
    return max(base_cm, LINE_CM * lines + 0.15)
