#!/usr/bin/env python3
"""Validates the agent evaluation dataset in tests/agent_eval/ (see README.md).

Usage: python3 tests/agent_eval/check.py
Exits non-zero and lists every problem when a rule is broken; otherwise prints
counts per business, language and category.
"""
import datetime as dt
import html
import json
import os
import re
import sys
from collections import Counter
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = "2026-12-02T10:00:00"
LANGS = {"en", "es", "pt", "fr", "id", "ms", "zh", "ar"}
ESCALATE = {"none", "explicit", "urgent", "angry"}
CHANGES = {"reschedule", "cancel"}
REQUIRED_OTHER_LANGS = {"es", "fr", "zh", "ar", "id"}
MIN_TOTAL = 230

# The businesses the brief asks for: folder -> (timezone, region, holdout).
BUSINESSES = {
    "physio": ("Europe/London", "GB", False),
    "salon": ("America/Sao_Paulo", "BR", False),
    "vet": ("Australia/Sydney", "AU", False),
    "garage": ("America/New_York", "US", False),
    "dental": ("Asia/Dubai", "AE", False),
    "optician": ("Asia/Kuala_Lumpur", "MY", True),
    "podiatry": ("Europe/Madrid", "ES", True),
    "grooming": ("America/Mexico_City", "MX", False),
    "motorbike": ("Asia/Jakarta", "ID", False),
    "beauty": ("Europe/Paris", "FR", False),
}
EXTRA_LANGS = {"salon": {"en", "es"}, "podiatry": {"en"}, "grooming": {"en"}, "motorbike": {"en", "ms"}, "beauty": {"en"}}

# Opening hours as each page states them (weekday 0 = Monday): (open, close) in
# minutes from midnight, or None when closed. Requested bookings must start inside.
def _h(a, b):
    return (int(a.split(":")[0]) * 60 + int(a.split(":")[1]), int(b.split(":")[0]) * 60 + int(b.split(":")[1]))

HOURS = {
    "physio": [_h("7:30", "20:00")] * 4 + [_h("7:30", "18:00"), _h("8:30", "13:00"), None],
    "salon": [None] + [_h("9:00", "20:00")] * 4 + [_h("8:00", "16:00"), None],
    "vet": [_h("8:00", "19:00")] * 5 + [_h("8:00", "12:30"), None],
    "garage": [_h("7:30", "18:00")] * 5 + [_h("8:00", "14:00"), None],
    "dental": [_h("9:00", "21:00")] * 4 + [_h("14:00", "21:00"), _h("10:00", "18:00"), None],
    "optician": [None] + [_h("10:00", "19:30")] * 4 + [_h("9:30", "18:00"), _h("10:00", "14:00")],
    "podiatry": [_h("9:00", "20:30")] * 4 + [_h("9:00", "15:00"), _h("9:30", "13:30"), None],
    "grooming": [None] + [_h("9:00", "19:00")] * 4 + [_h("8:00", "17:00"), _h("10:00", "14:00")],
    "motorbike": [None] + [_h("8:00", "17:00")] * 5 + [_h("8:00", "12:00")],
    "beauty": [None] + [_h("10:00", "19:00")] * 2 + [_h("10:00", "21:00"), _h("10:00", "19:00"), _h("9:00", "17:00"), None],
}

CJK = re.compile(r"[\u4e00-\u9fff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
PHONEISH = re.compile(r"\+?\(?\d[\d\s().\-]{7,}\d")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def norm(text):
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def page_text(raw):
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    raw = re.sub(r"(?s)<!--.*?-->", " ", raw)
    return norm(html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def check_page(folder, raw):
    where = f"{folder}/page.html"
    if not raw.lstrip().lower().startswith("<!doctype html>"):
        err(where, "does not start with <!DOCTYPE html>")
    for tag in ("<title>", "<nav", "<header", "<footer", "<h2", "<h3"):
        if tag not in raw.lower():
            err(where, f"no {tag}")
    if len(re.findall(r"(?i)<h2\b", raw)) < 6:
        err(where, "fewer than 6 <h2> sections")
    for entity in ("&amp;", "&rsquo;", "&nbsp;"):
        if entity not in raw:
            err(where, f"no {entity}")
    m = re.search(r'<html[^>]*\blang="([a-z]{2})', raw)
    if not m:
        err(where, 'no <html lang="..">')
        return None
    return m.group(1)


def category(e, messages):
    if e["escalate"] != "none":
        return "escalation"
    if e.get("change"):
        return "change"
    if e["appointment"] is not None:
        return "booking"
    if e["lead"] is not None:
        return "lead"
    if e["facts"] or any(q in m for m in messages for q in "?？؟"):
        return "fact"
    return "small talk"


def digits(s):
    return re.sub(r"\D", "", s)


def check_case(folder, case, text, now, seen_ids):
    cid = case.get("id", "?")
    where = f"{folder}/{cid}"
    if set(case) != {"id", "lang", "messages", "expect"}:
        err(where, f"case keys {sorted(case)}")
        return None
    if not re.fullmatch(rf"{folder}-\d{{3}}", str(cid)):
        err(where, "id is not <folder>-NNN")
    if cid in seen_ids:
        err(where, "duplicate id")
    seen_ids.add(cid)
    lang = case["lang"]
    if lang not in LANGS:
        err(where, f"lang {lang!r}")
    msgs = case["messages"]
    if not isinstance(msgs, list) or not 1 <= len(msgs) <= 5 or not all(isinstance(m, str) and m.strip() for m in msgs):
        err(where, "messages must be 1-5 non-empty strings")
        return None
    joined = "\n".join(msgs)
    if lang == "zh" and not CJK.search(joined):
        err(where, "zh case without Chinese characters")
    if lang == "ar" and not ARABIC.search(joined):
        err(where, "ar case without Arabic script")
    if lang != "zh" and CJK.search(joined):
        err(where, f"{lang} case with Chinese characters")
    if lang != "ar" and ARABIC.search(joined):
        err(where, f"{lang} case with Arabic script")

    e = case["expect"]
    allowed = {"facts", "must_not", "lead", "appointment", "escalate", "change", "reply_lang"}
    required = {"facts", "must_not", "lead", "appointment", "escalate"}
    if not isinstance(e, dict) or not required <= set(e) or not set(e) <= allowed:
        err(where, f"expect keys {sorted(e) if isinstance(e, dict) else e}")
        return None
    low = text.lower()
    for key in ("facts", "must_not"):
        v = e[key]
        if not isinstance(v, list) or not all(isinstance(s, str) and s.strip() for s in v):
            err(where, f"{key} must be a list of non-empty strings")
            return None
        if len({s.lower() for s in v}) != len(v):
            err(where, f"duplicate in {key}")
    for f in e["facts"]:
        if f.lower() not in low:
            err(where, f"fact {f!r} is not in the page")
    for bad in e["must_not"]:
        for f in e["facts"]:
            if bad.lower() in f.lower():
                err(where, f"must_not {bad!r} is contained in fact {f!r}")

    if e["escalate"] not in ESCALATE:
        err(where, f"escalate {e['escalate']!r}")
    if "reply_lang" in e and e["reply_lang"] not in LANGS:
        err(where, f"reply_lang {e['reply_lang']!r}")
    if "change" in e:
        if e["change"] not in CHANGES:
            err(where, f"change {e['change']!r}")
        if e["appointment"] is not None:
            err(where, "a change request has appointment null")

    emails_in_msgs = {m.lower() for m in EMAIL.findall(joined)}
    phones_in_msgs = [p for p in PHONEISH.findall(joined) if len(digits(p)) >= 9]
    lead = e["lead"]
    if lead is None:
        if emails_in_msgs or phones_in_msgs:
            err(where, f"contact details in messages but lead is null: {sorted(emails_in_msgs) + phones_in_msgs}")
    else:
        if not isinstance(lead, dict) or set(lead) != {"name", "email", "phone"}:
            err(where, "lead must have exactly name, email, phone")
            return None
        if lead["email"] is None and lead["phone"] is None:
            err(where, "lead without email or phone")
        if lead["email"] is not None:
            if not isinstance(lead["email"], str) or not EMAIL.fullmatch(lead["email"]):
                err(where, f"lead email {lead['email']!r}")
            elif lead["email"].lower() not in emails_in_msgs:
                err(where, "lead email is not in the messages")
        elif emails_in_msgs:
            err(where, "an email is in the messages but lead.email is null")
        if lead["phone"] is not None:
            check_phone(where, lead["phone"], joined)
        elif phones_in_msgs:
            err(where, "a phone is in the messages but lead.phone is null")
        check_name(where, lead["name"], joined)

    ap = e["appointment"]
    if ap is not None:
        keys = {"service", "date", "hour", "minute", "name", "phone"}
        if not isinstance(ap, dict) or set(ap) != keys:
            err(where, f"appointment keys {sorted(ap) if isinstance(ap, dict) else ap}")
            return None
        if not isinstance(ap["service"], str) or norm(ap["service"]) not in text:
            err(where, f"service {ap['service']!r} is not written verbatim on the page")
        day = None
        if ap["date"] is not None:
            try:
                day = dt.date.fromisoformat(ap["date"])
            except (TypeError, ValueError):
                err(where, f"date {ap['date']!r}")
            if day is not None:
                if not now.date() <= day <= now.date() + dt.timedelta(days=120):
                    err(where, f"date {day} is before now or too far ahead")
                if HOURS[folder][day.weekday()] is None:
                    err(where, f"booking on a closed day ({day:%A})")
        for k, hi in (("hour", 23), ("minute", 59)):
            v = ap[k]
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= hi):
                err(where, f"{k} {v!r}")
        if ap["minute"] is not None and ap["hour"] is None:
            err(where, "minute without hour")
        if ap["hour"] is not None and day is not None and HOURS[folder][day.weekday()] is not None:
            start = ap["hour"] * 60 + (ap["minute"] or 0)
            opening, closing = HOURS[folder][day.weekday()]
            if not opening <= start < closing:
                err(where, f"{day:%a} {ap['hour']}:{ap['minute'] or 0:02} is outside opening hours")
            if day == now.date() and start <= now.hour * 60 + now.minute:
                err(where, "booking time today is already past")
        if ap["phone"] is not None:
            check_phone(where, ap["phone"], joined)
            if lead is None or lead["phone"] != ap["phone"]:
                err(where, "appointment phone differs from lead phone")
        elif phones_in_msgs:
            err(where, "a phone is in the messages but appointment.phone is null")
        check_name(where, ap["name"], joined)
        if lead is not None and lead["name"] != ap["name"]:
            err(where, "appointment name differs from lead name")

    cat = category(e, msgs)
    if cat == "small talk" and not e["must_not"]:
        err(where, "small talk must list must_not (a price or time it must not answer with)")
    return lang, cat, e["escalate"]


def check_phone(where, phone, joined):
    if not isinstance(phone, str) or not E164.fullmatch(phone):
        err(where, f"phone {phone!r} is not E.164")
        return
    if phone[-9:] not in digits(joined):
        err(where, f"phone {phone} does not appear in the messages")


def check_name(where, name, joined):
    if name is None:
        return
    if not isinstance(name, str) or not name.strip():
        err(where, f"name {name!r}")
    elif name.lower() not in joined.lower():
        err(where, f"name {name!r} is not in the messages")


def main():
    folders = sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "cases.json")))
    if set(folders) != set(BUSINESSES):
        err("dataset", f"folders {folders}, expected {sorted(BUSINESSES)}")
    now = dt.datetime.fromisoformat(NOW)
    seen_ids = set()
    total = 0
    by_lang = Counter()
    by_cat = Counter()
    rows = []
    for folder in folders:
        path = os.path.join(HERE, folder)
        try:
            raw = open(os.path.join(path, "page.html"), encoding="utf-8").read()
        except OSError as e:
            err(folder, f"page.html: {e}")
            continue
        page_lang = check_page(folder, raw)
        text = page_text(raw)
        try:
            doc = json.load(open(os.path.join(path, "cases.json"), encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            err(folder, f"cases.json: {e}")
            continue
        if set(doc) != {"business", "timezone", "region", "holdout", "now", "cases"}:
            err(folder, f"top-level keys {sorted(doc)}")
            continue
        tz, region, holdout = BUSINESSES.get(folder, (None, None, None))
        if not isinstance(doc["business"], str) or not doc["business"].strip():
            err(folder, "business name")
        elif doc["business"].lower() not in text.lower():
            err(folder, "business name is not on the page")
        try:
            ZoneInfo(doc["timezone"])
        except Exception:  # noqa: BLE001
            err(folder, f"unknown time zone {doc['timezone']!r}")
        if (doc["timezone"], doc["region"], doc["holdout"]) != (tz, region, holdout):
            err(folder, f"timezone/region/holdout {doc['timezone']}/{doc['region']}/{doc['holdout']}, expected {tz}/{region}/{holdout}")
        if doc["now"] != NOW:
            err(folder, f"now {doc['now']!r}, expected {NOW}")
        cases = doc["cases"]
        if not isinstance(cases, list) or not 45 <= len(cases) <= 50:
            err(folder, f"{len(cases) if isinstance(cases, list) else '?'} cases, expected 45-50")
            continue
        langs, cats, escs = Counter(), Counter(), Counter()
        for case in cases:
            if not isinstance(case, dict):
                err(folder, "case is not an object")
                continue
            got = check_case(folder, case, text, now, seen_ids)
            if got:
                lang, cat, esc = got
                langs[lang] += 1
                cats[cat] += 1
                escs[esc] += 1
        n = len(cases)
        total += n
        by_lang.update(langs)
        by_cat.update(cats)
        if page_lang and langs[page_lang] < 0.6 * n:
            err(folder, f"only {langs[page_lang]}/{n} cases in the page's language {page_lang}")
        others = set(langs) - {page_lang}
        if len(others) < 4:
            err(folder, f"other languages {sorted(others)}: fewer than 4")
        missing = (REQUIRED_OTHER_LANGS | EXTRA_LANGS.get(folder, set())) - {page_lang} - set(langs)
        if missing:
            err(folder, f"no cases in {sorted(missing)}")
        for kind in ("explicit", "urgent", "angry"):
            if not escs[kind]:
                err(folder, f"no {kind} escalation")
        for cat in ("fact", "booking", "change", "lead", "escalation", "small talk"):
            if not cats[cat]:
                err(folder, f"no {cat} cases")
        rows.append((folder, doc["business"], page_lang, n, langs, cats, escs))
    if total < MIN_TOTAL:
        err("dataset", f"{total} cases, expected at least {MIN_TOTAL}")

    for folder, name, page_lang, n, langs, cats, escs in rows:
        hold = " (HOLD-OUT)" if BUSINESSES[folder][2] else ""
        print(f"{folder}{hold}: {name}, page {page_lang}, {n} cases")
        print("  languages: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()))
        print("  categories: " + ", ".join(f"{k} {v}" for k, v in cats.most_common()))
        print("  escalations: " + ", ".join(f"{k} {v}" for k, v in escs.most_common()))
    print(f"total: {total} cases")
    print("  languages: " + ", ".join(f"{k} {v}" for k, v in by_lang.most_common()))
    print("  categories: " + ", ".join(f"{k} {v}" for k, v in by_cat.most_common()))
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for line in errors:
            print("  " + line, file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
