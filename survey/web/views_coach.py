"""Coach pages: sign in, key in paper questionnaires (mode ``papier``), Rücklauf (counts only).

A coach sign-in is a server-side session (:mod:`survey.web.coach_sessions`); the cookie only holds
its random token, so signing out, a restart or idle time revoke it.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, session, url_for

from survey.access_codes import verify_password
from survey.report import formatting as fmt
from survey.store import Draft
from survey.web.state import client
from survey.web.contexts import CoachHomeContext, CoachLoginContext, ReturnsContext, as_template_args
from survey.web.drafts import Entry
from survey.web.limits import COACH_BUSY_TEXT, wait_text
from survey.web.views_respondent import _see, coach_signed_in, end_entry, survey

coach = Blueprint("coach", __name__, url_prefix="/coach")


def _login_page(error: str | None, status: int = 200):
    context = CoachLoginContext(title="Coach-Zugang", enabled=bool(survey().store.coach_password_hash),
                                error=error)
    return render_template("coach_login.html", **as_template_args(context)), status


@coach.get("/")
def home():
    if not coach_signed_in():
        session.pop("coach", None)
        return _login_page(None)
    app_survey = survey()
    paper = sum(count for _, mode, count in app_survey.store.counts_by_day() if mode == "papier")
    context = CoachHomeContext(title="Coach-Bereich", kommune=app_survey.folder.config.kommune,
                               submitted_paper=paper, message=session.pop("coach_message", None))
    return render_template("coach_home.html", **as_template_args(context))


@coach.post("/anmelden")
def login():
    app_survey = survey()
    stored = app_survey.store.coach_password_hash
    if not stored:
        return _login_page(None, 403)
    limits = app_survey.limits
    who = client()
    wait = limits.coach.wait_seconds(who)
    if wait:
        return _login_page(wait_text(wait), 429)
    if not limits.coach_gate.admit(limits.coach.failures(who)):
        return _login_page(COACH_BUSY_TEXT, 503)
    right = False
    try:
        right = verify_password(request.form.get("passwort", ""), stored)
    finally:
        limits.coach_gate.finish(failed=not right)
    if not right:
        limits.coach.failure(who)
        return _login_page("Das Passwort ist falsch.", 200)
    end_entry()
    app_survey.coach_sessions.revoke(session.get("coach"))
    session["coach"] = app_survey.coach_sessions.create()
    return _see(url_for("coach.home"))


@coach.post("/abmelden")
def logout():
    end_entry()
    survey().coach_sessions.revoke(session.pop("coach", None))
    return _see(url_for("coach.home"))


@coach.post("/neu")
def new_paper():
    if not coach_signed_in():
        return _see(url_for("coach.home"))
    entry = Entry.paper()
    session["entry"] = entry.as_cookie()
    survey().drafts.put(entry, Draft(answers={}, page=0))
    return _see(url_for("respondent.page", index=0))


def _day(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


@coach.get("/ruecklauf")
def returns():
    if not coach_signed_in():
        return _see(url_for("coach.home"))
    app_survey = survey()
    store = app_survey.store
    issued, used = store.code_counts()
    days: dict[str, dict[str, int]] = {}
    for day, mode, count in store.counts_by_day():
        days.setdefault(day, {"online": 0, "papier": 0})[mode] += count
    by_day = [(_day(day), c["online"], c["papier"], c["online"] + c["papier"]) for day, c in sorted(days.items())]
    total = {mode: sum(c[mode] for c in days.values()) for mode in ("online", "papier")}
    total["zusammen"] = total["online"] + total["papier"]
    by_area: list[tuple[str, int, int, int]] = []
    area = app_survey.questionnaire.variable("ortsteil")
    if area is not None:
        areas: dict[object, dict[str, int]] = {}
        for value, mode, count in store.counts_by_value("ortsteil"):
            areas.setdefault(value, {"online": 0, "papier": 0})[mode] += count
        for value, c in sorted(areas.items(), key=lambda item: (item[0] is None, str(item[0]))):
            label = "ohne Angabe" if value is None else area.all_codes.get(int(value), str(value))
            by_area.append((label, c["online"], c["papier"], c["online"] + c["papier"]))
    rate = fmt.percent(total["online"] / issued) if issued else fmt.MISSING
    context = ReturnsContext(title="Rücklauf", issued=issued, used=used, total=total, rate_text=rate,
                             by_day=by_day, by_area=by_area)
    return render_template("coach_returns.html", **as_template_args(context))
