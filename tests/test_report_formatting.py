"""German formatting: exact strings."""

from __future__ import annotations

import datetime as dt
import math

import jinja2
import pytest

from survey.report import formatting as fmt

NB = "\u00a0"


@pytest.mark.parametrize("share, expected", [
    (0.4285, f"42,9{NB}%"),      # half away from zero on the decimal representation
    (0.42849, f"42,8{NB}%"),
    (0.0, f"0,0{NB}%"),
    (1.0, f"100,0{NB}%"),
    (0.05, f"5,0{NB}%"),
    (None, "–"),
    (math.nan, "–"),
])
def test_percent(share, expected):
    assert fmt.percent(share) == expected


def test_percent_digits_and_sign():
    assert fmt.percent(0.4285, 0) == f"43{NB}%"
    assert fmt.percent(0.031, sign=True) == f"+3,1{NB}%"
    assert fmt.percent_number(0.3931) == "39,3"


def test_percentage_points_always_signed_with_true_minus():
    assert fmt.percentage_points(0.031) == f"+3,1{NB}Pp."
    assert fmt.percentage_points(-0.031) == f"\u22123,1{NB}Pp."
    assert fmt.percentage_points(0.0) == f"0,0{NB}Pp."
    assert fmt.percentage_points(-0.0004) == f"0,0{NB}Pp."   # no "−0,0"


def test_integers_decimals_hz_odds():
    assert fmt.integer(1234) == "1.234"
    assert fmt.integer(1234567) == "1.234.567"
    assert fmt.integer(999) == "999"
    assert fmt.integer(-5) == "\u22125"
    assert fmt.integer(2.5) == "3"
    assert fmt.decimal(2.175) == "2,18"
    assert fmt.decimal(1234.5, 1) == "1.234,5"
    assert fmt.hz(5432.4) == "5.432"
    assert fmt.odds_ratio(1.8467) == "1,85"
    assert fmt.integer(None) == "–"


def test_intervals():
    assert fmt.interval(0.383, 0.456) == f"38,3–45,6{NB}%"
    assert fmt.interval(1.32, 2.59, kind="decimal") == "1,32–2,59"
    assert fmt.interval(4980.2, 5890.7, kind="hz") == "4.980–5.891"
    assert fmt.interval(-0.012, 0.034, kind="pp") == f"\u22121,2 bis +3,4{NB}Pp."
    assert fmt.interval(-1.5, 2.0, kind="decimal") == "\u22121,50 bis 2,00"
    assert fmt.interval(None, 0.4) == "–"
    with pytest.raises(ValueError):
        fmt.interval(0.1, 0.2, kind="furlong")


def test_dates_and_p_values():
    assert fmt.date(dt.date(2026, 11, 21)) == "21.11.2026"
    assert fmt.date("2026-01-05") == "05.01.2026"
    assert fmt.p_value(0.0004) == f"p{NB}<{NB}0,001"
    assert fmt.p_value(0.0342) == f"p{NB}={NB}0,034"
    assert fmt.p_value(None) == "–"


def test_flags():
    assert fmt.estimate(0.429, "unreliable") == f"(42,9{NB}%)"
    assert fmt.estimate(0.429, "suppressed") == "/"
    assert fmt.estimate(0.429, None) == f"42,9{NB}%"
    assert fmt.estimate(None, "unreliable") == "–"
    assert fmt.estimate(5432, None, "hz") == "5.432"
    assert fmt.ci_label() == "95-%-KI"


def test_escape_typst():
    assert fmt.escape_typst("#a $b *c* _d_ @e <f> `g` \\ [h]") == (
        "\\#a \\$b \\*c\\* \\_d\\_ \\@e \\<f\\> \\`g\\` \\\\ \\[h\\]")
    assert fmt.escape_typst("a // b = c") == "a \\/\\/ b \\= c"
    assert fmt.escape_typst(None) == ""
    assert fmt.escape_typst("Straße 42,9 %") == "Straße 42,9 %"


def test_escape_typst_round_trips_through_typst():
    typst = pytest.importorskip("typst")
    text = "a/b // c = d - e -- f + g ~ h #x $y *z* _w_ @ref <lab> `code` \\ [b]"
    src = '#set document(title: "x")\n' + fmt.escape_typst(text) + "\n"
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "t.typ"
        main.write_text(src, encoding="utf-8")
        html = typst.compile(str(main), format="html").decode()
    assert "<p>a/b // c = d - e -- f + g ~ h #x $y *z* _w_ @ref &lt;lab> `code` \\ [b]</p>" in html


def test_jinja_filters_and_autoescape():
    env = jinja2.Environment(autoescape=True)
    fmt.register_filters(env)
    tpl = env.from_string(
        "{{ a | pct }} {{ d | pp }} {{ n | integer }} {{ (lo, hi) | ci }} {{ x | estimate('unreliable') }}"
        " {{ day | date_de }} {{ p | pval }} {{ s }} {{ s | typst }}")
    out = tpl.render(a=0.4285, d=0.031, n=1234, lo=0.383, hi=0.456, x=0.2, day=dt.date(2026, 11, 21),
                     p=0.0004, s="<b>#1</b>")
    assert out == (f"42,9{NB}% +3,1{NB}Pp. 1.234 38,3–45,6{NB}% (20,0{NB}%) 21.11.2026 "
                   f"p{NB}&lt;{NB}0,001 &lt;b&gt;#1&lt;/b&gt; \\&lt;b\\&gt;\\#1\\&lt;\\/b\\&gt;")
