#!/usr/bin/python3
"""Checks a rendered feed with feedparser (what real readers use): no bozo, the expected
version, and per entry the id, title, link, tags and a parsed date.

    check_feed.py FEED_FILE EXPECTED_JSON
EXPECTED_JSON: {"version": "atom10", "title": "...", "self": "...",
                "entries": [{"id": "...", "title": "...", "link": "...", "tags": [...],
                             "also_covered": [["Deadline", "https://..."], ...],
                             "related": ["https://..."], "reelfeed": {...}}]}
Optional per entry: "also_covered", the (name, href) links of the content's "Also covered
by:" paragraph, in order ([] = no such paragraph); "related", the Atom rel="related"
hrefs; "reelfeed", the JSON Feed item's "_reelfeed" object (outlets, topic, concepts
compared exactly, score a number).
A JSON Feed is checked against JSON Feed 1.1 itself (feedparser 6 cannot read it): the
required fields and types, and no keys outside the spec except "_" extensions.
Exit 0 when everything matches, 1 with one line per problem on stderr, 77 when feedparser
is not importable."""
import html.parser
import json
import sys

try:
    import feedparser
except ImportError:
    sys.exit(77)


class Obj(dict):
    """Attribute access like feedparser's FeedParserDict."""
    __getattr__ = dict.get


FEED_KEYS = {"version", "title", "home_page_url", "feed_url", "description", "user_comment",
             "next_url", "icon", "favicon", "authors", "author", "language", "expired", "hubs",
             "items"}
ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text", "summary",
             "image", "banner_image", "date_published", "date_modified", "authors", "author",
             "tags", "language", "attachments"}


def check_authors(obj, where, problems):
    authors = obj.get("authors", [])
    if not isinstance(authors, list):
        problems.append("%s: authors is not a list" % where)
        return
    for a in authors:
        if not isinstance(a, dict) or not any(isinstance(a.get(k), str)
                                              for k in ("name", "url", "avatar")):
            problems.append("%s: author without name, url or avatar: %r" % (where, a))


class Anchors(html.parser.HTMLParser):
    """The (text, href) of every <a> after the text "Also covered by:"."""

    def __init__(self):
        super().__init__()
        self.seen_label = False
        self.links = []
        self._href = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self.seen_label:
            self._href = dict(attrs).get("href")
            self._text = ""

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append([self._text, self._href])
            self._href = None

    def handle_data(self, data):
        if "Also covered by:" in data:
            self.seen_label = True
        if self._href is not None:
            self._text += data


def also_covered(entry):
    """None when the entry's content has no "Also covered by:" paragraph."""
    for c in entry.get("content") or []:
        parser = Anchors()
        parser.feed(c.get("value", ""))
        parser.close()
        if parser.seen_label:
            return parser.links
    return None


def check_reelfeed(i, got, exp, problems):
    if not isinstance(got, dict):
        problems.append("entry %d: no _reelfeed object" % i)
        return
    for key in ("outlets", "topic", "concepts"):
        if got.get(key) != exp[key]:
            problems.append("entry %d _reelfeed.%s %r != %r" % (i, key, got.get(key), exp[key]))
    if not isinstance(got.get("score"), (int, float)):
        problems.append("entry %d _reelfeed.score is not a number" % i)


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

    for key in doc:
        if key not in FEED_KEYS and not key.startswith("_"):
            problems.append("feed: %r is not a JSON Feed 1.1 key" % key)
    for key in ("home_page_url", "feed_url", "description"):
        if key in doc and not isinstance(doc[key], str):
            problems.append("feed: %s is not a string" % key)
    check_authors(doc, "feed", problems)

    entries = []
    for it in items:
        for key in it:
            if key not in ITEM_KEYS and not key.startswith("_"):
                problems.append("item %r: %r is not a JSON Feed 1.1 key" % (it.get("id"), key))
        check_authors(it, "item %r" % it.get("id"), problems)
        for a in it.get("attachments", []):
            if not isinstance(a.get("url"), str) or not isinstance(a.get("mime_type"), str):
                problems.append("item %r: attachment without url and mime_type" % it.get("id"))
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
        content = [{"value": it["content_html"]}] if "content_html" in it else []
        entries.append(Obj(id=it.get("id"), title=it.get("title"), link=it.get("url"),
                           tags=[{"term": t} for t in tags], content=content,
                           reelfeed=it.get("_reelfeed"),
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
        if "also_covered" in exp:
            links = also_covered(got)
            if exp["also_covered"] and links != exp["also_covered"]:
                problems.append("entry %d also covered by %r != %r"
                                % (i, links, exp["also_covered"]))
            if not exp["also_covered"] and links is not None:
                problems.append("entry %d has an unexpected 'Also covered by' %r" % (i, links))
        if "related" in exp:
            related = [l.get("href") for l in got.get("links", []) if l.get("rel") == "related"]
            if related != exp["related"]:
                problems.append("entry %d related links %r != %r" % (i, related, exp["related"]))
        if "reelfeed" in exp:
            check_reelfeed(i, got.get("reelfeed"), exp["reelfeed"], problems)
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
