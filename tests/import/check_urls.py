#!/usr/bin/env python3
"""Checks that an imported site keeps every URL the old site published.

For each dated page of the old site it works out, from that site's own
config and front matter and independently of Dateline's importer, the URL
the old generator publishes it at, and confirms the Dateline build has a
file there: the page itself or a redirect page to it.

    python3 tests/import/check_urls.py hugo OLD_SITE NEW_SITE/public
    python3 tests/import/check_urls.py zola OLD_SITE NEW_SITE/public
    python3 tests/import/check_urls.py jekyll OLD_SITE NEW_SITE/public
    python3 tests/import/check_urls.py wordpress EXPORT.xml NEW_SITE/public

Needs Python 3.11+ and PyYAML (`pip install pyyaml`). Exit 0 when every
URL is found, 1 otherwise (the missing ones are listed).
"""

import json
import os
import re
import sys
import tomllib
import unicodedata
from datetime import datetime

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".toml"):
        return tomllib.loads(text)
    if path.endswith((".yaml", ".yml")):
        return yaml.safe_load(text) or {}
    if path.endswith(".json"):
        return json.loads(text)
    return None


def lower_keys(value):
    if isinstance(value, dict):
        return {str(k).lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def merge(base, over):
    for k, v in over.items():
        if isinstance(base.get(k), dict) and isinstance(v, dict):
            merge(base[k], v)
        else:
            base[k] = v


def hugo_config(root):
    config = {}
    for name in ("config", "hugo"):
        for ext in ("toml", "yaml", "yml", "json"):
            p = os.path.join(root, f"{name}.{ext}")
            if os.path.isfile(p):
                merge(config, lower_keys(load(p)))
    folder = os.path.join(root, "config", "_default")
    if os.path.isdir(folder):
        for file in sorted(os.listdir(folder)):
            data = load(os.path.join(folder, file))
            if data is None:
                continue
            stem = file.rsplit(".", 1)[0].lower()
            data = lower_keys(data)
            merge(config, data if stem in ("config", "hugo") else {stem: data})
    return config


def front_matter(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    first = text.split("\n", 1)[0].strip()
    if first in ("---", "+++"):
        end = text.find("\n" + first, 3)
        if end < 0:
            return None
        inner = text[len(first) + 1 : end]
        data = yaml.safe_load(inner) if first == "---" else tomllib.loads(inner)
        return lower_keys(data or {})
    if first == "{":
        depth, i = 0, 0
        for i, c in enumerate(text):
            depth += c == "{"
            depth -= c == "}"
            if depth == 0:
                break
        return lower_keys(json.loads(text[: i + 1]))
    return {}


def as_date(value):
    if isinstance(value, datetime):
        return value
    if hasattr(value, "year") and not isinstance(value, str):
        return datetime(value.year, value.month, value.day)
    words = str(value).split()
    if len(words) == 6 and words[0].isalpha() and words[4].isalpha():
        # `Thu Sep  6 10:44:30 PDT 2018`: Go reads an unknown zone as UTC.
        try:
            return datetime.strptime(" ".join(words[1:4] + words[5:]), "%b %d %H:%M:%S %Y")
        except ValueError:
            return None
    text = str(value).strip().replace(" ", "T", 1)
    text = re.sub(r"\s+", "", text)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def make_path(s):
    s = s.replace(" ", "-")
    return "".join(c for c in s if c.isalnum() or c in "./_-~+#")


def urlize(title):
    return make_path(title.strip()).replace("/", "").lower()


def hugo_urls(root):
    config = hugo_config(root)
    content = os.path.join(root, config.get("contentdir", "content"))
    permalinks = config.get("permalinks", {}) or {}
    if isinstance(permalinks.get("page"), dict):
        permalinks = permalinks["page"]
    ugly = config.get("uglyurls", False)
    lower = not config.get("disablepathtolower", False)
    langs = [l for l in (config.get("languages") or {}) if l != config.get("defaultcontentlanguage", "en")]
    out = []
    for dirpath, _, files in os.walk(content):
        for name in sorted(files):
            if not name.endswith((".md", ".markdown")) or name.startswith("_index"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), content).replace(os.sep, "/")
            stem = name.rsplit(".", 1)[0]
            if "." in stem and stem.rsplit(".", 1)[1] in langs:
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                fm = front_matter(f.read())
            if not fm:
                continue
            date = as_date(fm.get("date") or fm.get("publishdate") or "")
            if date is None or fm.get("draft") is True:
                continue
            path = rel.rsplit(".", 1)[0]
            if path.endswith("/index"):
                path = path[: -len("/index")]
            # `post.fr.md` is a translation only when `fr` is a language of
            # the site; `PostgreSQL_8.3.md` keeps its dots.
            head, _, last = path.rpartition("/")
            if "." in last and last.rsplit(".", 1)[1] in langs + [config.get("defaultcontentlanguage", "en")]:
                last = last.rsplit(".", 1)[0]
            path = f"{head}/{last}" if head else last
            directory, _, base = path.rpartition("/")
            section = path.split("/")[0] if "/" in path else ""
            slug = fm.get("slug")
            title = str(fm.get("title", ""))
            if fm.get("url"):
                url = fm["url"] if fm["url"].startswith("/") else "/" + fm["url"]
                if not url.endswith(("/", ".html", ".htm")):
                    url += "/"
                out.append((rel, url, fm))
                continue
            pattern = permalinks.get(section)
            if pattern:
                values = {
                    "year": f"{date.year}", "month": f"{date.month:02}", "day": f"{date.day:02}",
                    "monthname": date.strftime("%B").lower(), "weekday": str((date.weekday() + 1) % 7),
                    "weekdayname": date.strftime("%A").lower(), "yearday": str(date.timetuple().tm_yday),
                    "section": section, "sections": directory, "title": urlize(title),
                    "slug": str(slug) if slug else urlize(title), "filename": base,
                    "contentbasename": base, "slugorfilename": str(slug) if slug else base,
                    "slugorcontentbasename": str(slug) if slug else base,
                }
                url = re.sub(r":([a-z]+)", lambda m: values[m.group(1)], pattern)
                url = "/" + url.lstrip("/")
            else:
                url = "/" + (directory + "/" if directory else "") + (str(slug) if slug else base) + "/"
            url = make_path(url)
            if lower:
                url = url.lower()
            if not url.endswith((".html", ".htm")):
                if not url.endswith("/"):
                    url += "/"
                is_ugly = ugly if isinstance(ugly, bool) else bool(ugly.get(section))
                if is_ugly and len(url) > 1:
                    url = url[:-1] + ".html"
            out.append((rel, url, fm))
    return out


FILE_DATE = re.compile(r"^(\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?)[_-](.+)$")
PATH_DATE = re.compile(r"(?:^|/)(\d{4})/(\d\d)/(\d\d)(?:/|$)")


def zola_slug(text, mode):
    """Zola's `[slugify] paths`: `on` transliterates to ASCII, lower-cases
    and joins words with `-`; `safe` only drops what Windows forbids in a
    file name, and trailing dots and spaces."""
    if mode == "off":
        return text
    if mode == "safe":
        return "".join(c for c in text.rstrip(" .") if c not in '<>:"/\\|?*')
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def zola_urls(root):
    with open(os.path.join(root, "config.toml"), "rb") as f:
        config = tomllib.load(f)
    mode = (config.get("slugify") or {}).get("paths", "on")
    others = set(config.get("languages") or {}) - {config.get("default_language", "en")}
    content = os.path.join(root, "content")
    out, undated = [], 0
    for dirpath, _, files in os.walk(content):
        for name in sorted(files):
            # `page.fr.md` is a translation when `fr` is one of the site's
            # other languages; `crates.io-incident.md` is no translation.
            variant = name[:-3].rsplit(".", 1)[-1] if name.count(".") > 1 else None
            if not name.endswith(".md") or name.startswith("_index.") or variant in others:
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), content).replace(os.sep, "/")
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                fm = front_matter(f.read()) or {}
            if fm.get("draft") is True:
                continue
            parts = rel[:-3].split("/")
            if parts[-1] == "index" and len(parts) > 1:
                parts = parts[:-1]
            dirs, page = parts[:-1], parts[-1]
            m = FILE_DATE.match(page)
            file_date, page = (m.group(1), m.group(2)) if m else (None, page)
            if fm.get("path"):
                url = "/" + str(fm["path"]).strip("/") + "/"
            else:
                slug = zola_slug(str(fm.get("slug") or page), mode)
                url = "/" + "".join(zola_slug(d, mode) + "/" for d in dirs) + slug + "/"
            if not (fm.get("date") or file_date or PATH_DATE.search(url)):
                # An undated page (a template page, a docs page): no article.
                undated += 1
                continue
            out.append((rel, url, fm))
    return out, undated

JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
POST_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")


def jekyll_slugify(text, mode, cased):
    """Jekyll's Utils.slugify: `default` keeps letters and digits, `pretty`
    also ``._~!$&'()+,;=@``; the rest become `-`."""
    drop = r"[\W_]+" if mode == "default" else r"[^\w._~!$&'()+,;=@]+"
    text = re.sub(drop, "-", text)
    text = text.strip("-")
    return text if cased else text.lower()


def jekyll_date(value, tz):
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if hasattr(value, "year") and not isinstance(value, str):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    text = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    if m:  # Ruby reads `11-9-2017` as day, month, year.
        return datetime(int(m[3]), int(m[2]), int(m[1]), tzinfo=tz)
    d = as_date(text)
    if d is None:
        return None
    return d.astimezone(tz) if d.tzinfo else d.replace(tzinfo=tz)


def jekyll_file(url):
    """The file Jekyll writes for a URL: `x/` as `x/index.html`, `x` as `x.html`."""
    if url.endswith("/"):
        return url + "index.html"
    return url if url.endswith((".html", ".htm")) else url + ".html"


def jekyll_urls(root):
    from zoneinfo import ZoneInfo

    with open(os.path.join(root, "_config.yml"), encoding="utf-8") as f:
        config = yaml.safe_load(f) or {}
    tz = ZoneInfo(config.get("timezone") or "UTC")
    posts = (config.get("collections") or {}).get("posts") or {}
    style = posts.get("permalink") or config.get("permalink") or "date"
    site_pattern = JEKYLL_STYLES.get(style, style)
    defaults = config.get("defaults") or []
    skip = {"_site", "node_modules", "vendor", ".git", ".bundle"} | set(
        str(e).strip("/") for e in config.get("exclude") or [])
    out, drafts = [], 0
    for dirpath, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        dirs[:] = sorted(d for d in dirs if (d if rel_dir == "." else f"{rel_dir}/{d}") not in skip and d not in skip)
        parts = rel_dir.split("/")
        if "_posts" not in parts:
            continue
        above = parts[: parts.index("_posts")] if rel_dir != "." else []
        for name in sorted(files):
            m = POST_NAME.match(name)
            if not m or m[3] not in (".md", ".markdown", ".mkdown", ".mkd", ".html"):
                continue
            rel = f"{rel_dir}/{name}"
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                fm = front_matter(f.read())
            if fm is None:
                continue
            data = {}
            for d in defaults:
                scope = d.get("scope") or {}
                if rel.startswith(str(scope.get("path") or "").strip("/")) and scope.get("type", "posts") == "posts":
                    data.update(lower_keys(d.get("values") or {}))
            data.update(fm)
            if data.get("published") is False:
                drafts += 1
                continue
            date = jekyll_date(data["date"], tz) if data.get("date") else None
            if date is None:
                date = jekyll_date(m[1], tz)
            cats = list(above)
            for key in ("categories", "category"):
                v = data.get(key)
                for c in (v.split() if isinstance(v, str) else v or []):
                    if str(c) not in cats:
                        cats.append(str(c))
            categories = []
            for c in cats:
                if c.lower() not in categories:
                    categories.append(c.lower())
            slug = str(data.get("slug") or m[2])
            values = {
                "year": f"{date.year}", "month": f"{date.month:02}", "day": f"{date.day:02}",
                "i_month": str(date.month), "i_day": str(date.day), "short_year": f"{date.year % 100:02}",
                "y_day": f"{date.timetuple().tm_yday:03}", "hour": f"{date.hour:02}", "minute": f"{date.minute:02}",
                "second": f"{date.second:02}", "title": jekyll_slugify(slug, "pretty", True),
                "slug": jekyll_slugify(slug, "default", False), "categories": "/".join(categories),
                "output_ext": ".html", "path": rel[:-len(m[3])], "name": name[:-len(m[3])],
                "short_month": date.strftime("%b"), "long_month": date.strftime("%B"),
                "week": f"{date.isocalendar()[1]:02}", "short_day": date.strftime("%a"),
            }
            pattern = str(data.get("permalink") or site_pattern)
            url = re.sub(r":(output_ext|[a-z_]+)", lambda t: values.get(t[1], t[0]), pattern)
            url = "/" + re.sub(r"/+", "/", url).lstrip("/")
            aliases = data.get("redirect_from") or []
            aliases = [aliases] if isinstance(aliases, str) else aliases
            out.append((rel, url, {"aliases": [str(a) for a in aliases]}))
    return out, drafts



def wordpress_urls(export):
    """Each published post's address, as its `<link>` in the export gives
    it, relative to the site's `<link>`; `?p=` addresses cannot be kept."""
    import xml.etree.ElementTree as ET
    from urllib.parse import unquote, urlparse

    root = ET.parse(export).getroot()
    channel = root.find("channel")
    base = urlparse(channel.findtext("link", "").rstrip("/")).path
    out, skipped = [], 0
    for item in channel.iter("item"):
        fields = {el.tag.rsplit("}", 1)[-1]: (el.text or "").strip() for el in item}
        if fields.get("post_type") != "post" or fields.get("status") not in ("publish", "future"):
            continue
        link = urlparse(fields.get("link", ""))
        path = unquote(link.path)
        if link.query or not path.startswith(base) or path.rstrip("/") in ("", base) or fields.get("status") == "future":
            skipped += 1  # a query address, or not public yet
            continue
        path = path[len(base):] or "/"
        if path.rstrip("/") in ("/tags", "/search", "/authors", "/corrections"):
            skipped += 1  # where Dateline writes its own lists: reported by the import
            continue
        out.append((f"post {fields.get('post_id')}", path, {}))
    return out, skipped


def main():
    kinds = {"hugo": lambda r: (hugo_urls(r), 0), "zola": zola_urls, "jekyll": jekyll_urls, "wordpress": wordpress_urls}
    if len(sys.argv) != 4 or sys.argv[1] not in kinds:
        print(__doc__)
        return 2
    root, public = sys.argv[2], sys.argv[3]
    urls, undated = kinds[sys.argv[1]](root)
    if undated:
        what = {"jekyll": "unpublished posts", "wordpress": "posts whose address cannot be kept or that are not public yet"}.get(sys.argv[1], "undated pages")
        print(f"{undated} {what} skipped: the old site does not publish them as articles")
    missing, pages, redirects = [], 0, 0
    for rel, url, fm in urls:
        for u in [url] + ["/" + a.lstrip("/") for a in (fm.get("aliases") or [])]:
            file = os.path.join(public, u.lstrip("/"))
            if sys.argv[1] == "jekyll":
                file = os.path.join(public, jekyll_file(u).lstrip("/"))
            # Hugo and Zola write an alias without an extension as a folder.
            elif not u.endswith((".html", ".htm")):
                file = os.path.join(file, "index.html")
            if not os.path.isfile(file):
                missing.append(f"{rel}: {u}")
            elif u == url:
                pages += 1
            else:
                redirects += 1
    print(f"{len(urls)} pages: {pages} at their URL, {redirects} aliases as redirects, {len(missing)} missing")
    for m in missing:
        print("  missing", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
