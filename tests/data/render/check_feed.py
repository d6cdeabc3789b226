#!/usr/bin/python3
"""Checks a rendered feed with feedparser (what real readers use): no bozo, the expected
version, and per entry the id, title, link, tags and a parsed date.

    check_feed.py FEED_FILE EXPECTED_JSON
EXPECTED_JSON: {"version": "atom10", "title": "...", "self": "...",
                "entries": [{"id": "...", "title": "...", "link": "...", "tags": [...]}]}
Exit 0 when everything matches, 1 with one line per problem on stderr, 77 when feedparser
is not importable."""
import json
import sys

try:
    import feedparser
except ImportError:
    sys.exit(77)


class Obj(dict):
    """Attribute access like feedparser's FeedParserDict."""
    __getattr__ = dict.get


def parse_json_feed(path, problems):
    """feedparser 6.0 (Debian 12) has no JSON Feed support, so JSON Feed 1.1's rules are
    checked here and the result is shaped like feedparser's."""
    import datetime
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("not JSON Feed 1.1: %r" % doc.get("version"))
    if not isinstance(doc.get("title"), str):
        problems.append("feed title missing")
    items = doc.get("items")
    if not isinstance(items, list):
        problems.append("items is not a list")
        items = []

    def date(value):
        if value is None:
            return None
        try:
            t = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            problems.append("bad RFC 3339 date %r" % value)
            return None
        return t.astimezone(datetime.timezone.utc).timetuple()

    entries = []
    for it in items:
        if not isinstance(it.get("id"), str) or not it["id"]:
            problems.append("item without a string id")
        if "content_html" not in it and "content_text" not in it:
            problems.append("item %r has neither content_html nor content_text" % it.get("id"))
        for key in ("url", "title", "summary", "content_html", "date_published"):
            if key in it and not isinstance(it[key], str):
                problems.append("item %r: %s is not a string" % (it.get("id"), key))
        tags = it.get("tags", [])
        if not all(isinstance(t, str) for t in tags):
            problems.append("item %r: tags must be strings" % it.get("id"))
        entries.append(Obj(id=it.get("id"), title=it.get("title"), link=it.get("url"),
                           tags=[{"term": t} for t in tags],
                           published_parsed=date(it.get("date_published")),
                           updated_parsed=date(it.get("date_modified"))))
    return Obj(bozo=0, version="json11", feed=Obj(title=doc.get("title"), links=[]),
               entries=entries)


def main():
    feed_path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        want = json.load(f)
    problems = []
    if feed_path.endswith(".json"):
        d = parse_json_feed(feed_path, problems)
    else:
        d = feedparser.parse(feed_path)
    if d.bozo:
        problems.append("bozo: %r" % (d.get("bozo_exception"),))
    if d.version != want["version"]:
        problems.append("version %r != %r" % (d.version, want["version"]))
    if d.feed.get("title") != want["title"]:
        problems.append("feed title %r != %r" % (d.feed.get("title"), want["title"]))
    if "self" in want:
        selfs = [l.get("href") for l in d.feed.get("links", []) if l.get("rel") == "self"]
        if want["self"] not in selfs:
            problems.append("self link %r not in %r" % (want["self"], selfs))
    if len(d.entries) != len(want["entries"]):
        problems.append("entry count %d != %d" % (len(d.entries), len(want["entries"])))
    for i, (got, exp) in enumerate(zip(d.entries, want["entries"])):
        for key in ("id", "title", "link"):
            if got.get(key) != exp[key]:
                problems.append("entry %d %s %r != %r" % (i, key, got.get(key), exp[key]))
        tags = [t.get("term") for t in got.get("tags", [])]
        if tags != exp["tags"]:
            problems.append("entry %d tags %r != %r" % (i, tags, exp["tags"]))
        if not got.get("published_parsed") and not got.get("updated_parsed"):
            problems.append("entry %d has no parsed date" % i)
        if "published" in exp:
            pp = got.get("published_parsed")
            stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % tuple(pp[:6]) if pp else None
            if stamp != exp["published"]:
                problems.append("entry %d published %r != %r" % (i, stamp, exp["published"]))
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
