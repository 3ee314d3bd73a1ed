#!/usr/bin/env python3
"""Generate a synthetic, deterministic news corpus for benchmarking Dateline.

    python3 bench/corpus.py --n 10000 --seed 1 --out DIR [--formats dateline,hugo]

writes

    DIR/dateline/   a Dateline site (site.toml + content/<section>/<slug>.md)
    DIR/hugo/       the same articles as a Hugo site, with minimal layouts that
                    render the same kinds of pages as Dateline's default theme
    DIR/stats.json  what was generated and how many pages each tool should write

The same --n and --seed always give byte-identical files: every random choice
comes from one random.Random(seed), in a fixed order.

Workload shape: 12 sections up to three levels deep with uneven sizes; about
800 tags with a Zipf-like spread where the top tag is on half the articles;
150 authors; distinct UTC date-times over five years (thousands of date
archive pages at 10,000 articles); 450-700 word bodies with subheads, a quote,
sometimes a bullet list, emphasis, and links to earlier articles and to
https://www.example.org/.

For Hugo, which has no date archives, each article also carries an `archives`
taxonomy holding its year, month and day ("2023", "2023-08", "2023-08-23"), so
Hugo renders one paginated list per year, month and day just as Dateline does
(under /archives/<term>/ instead of /yyyy/mm/dd/).
"""

import argparse
import hashlib
import json
import math
import random
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

PAGINATE = 20
SITE_TITLE = "The Benchmark Courier"
BASE_URL = "https://bench.example.org/"
MARKER = ".dateline-bench-corpus"
START = datetime(2019, 1, 1, tzinfo=timezone.utc)
YEARS = 5

# (section path, display name, share of articles in percent)
SECTIONS = [
    ("news/us", "U.S.", 15),
    ("news/politics", "Politics", 10),
    ("news/world", "World", 3),
    ("news/world/asia", "Asia", 8),
    ("news/world/europe", "Europe", 8),
    ("business", "Business", 4),
    ("business/markets", "Markets", 9),
    ("technology", "Technology", 9),
    ("science", "Science", 6),
    ("opinion", "Opinion", 8),
    ("sports", "Sports", 12),
    ("culture", "Culture", 8),
]
# Display names of every section, parents first, in navigation order.
SECTION_NAMES = {
    "news": "News", "news/us": "U.S.", "news/politics": "Politics",
    "news/world": "World", "news/world/asia": "Asia", "news/world/europe": "Europe",
    "business": "Business", "business/markets": "Markets", "technology": "Technology",
    "science": "Science", "opinion": "Opinion", "sports": "Sports", "culture": "Culture",
}

# --------------------------------------------------------------------------
# Vocabulary. Pools may refer to other pools as {name}; see Grammar.
# --------------------------------------------------------------------------

FIRST_NAMES = """Ada Adrian Aisha Alma Amir Ana Arjun Beatriz Bilal Camille Carmen Chen Chidi
Clara Daniel Dara Dmitri Elena Emeka Esther Farah Felix Gabriel Hana Hassan Ines Ivan Jamal
Joanna Jonah Julia Kaito Kamala Karim Laila Lena Leon Lucas Maya Mehmet Mei Miguel Nadia Naomi
Nikhil Noor Olga Omar Paolo Priya Rafael Rosa Ruth Samir Sara Sean Sofia Tariq Teresa Tomas
Uma Victor Wen Yara Yusuf Zainab""".split()
LAST_NAMES = """Abara Adeyemi Alvarez Andersen Bakshi Baptiste Bauer Bennett Castillo Chowdhury
Costa Dahl Delgado Dubois Eriksen Farouk Fischer Garza Gomez Haddad Hartmann Ibarra Iqbal Jensen
Kaur Keller Kimura Kowalczyk Lambert Lindqvist Mahmoud Marsh Mendes Moreau Nakamura Navarro
Nilsen Novak Obi Okonkwo Ortega Park Petrov Quinn Rahman Reyes Rossi Sato Schultz Serrano
Shapiro Suzuki Tan Torres Usman Varga Vogel Walsh Weiss Yilmaz Zhou""".split()

PLACES = """Accra Ankara Athens Auckland Baltimore Bangkok Barcelona Berlin Bogota Boston
Brisbane Budapest Cairo Calgary Cape-Town Chennai Chicago Cleveland Dakar Dallas Denver Detroit
Dublin Durban Edinburgh Fresno Geneva Glasgow Hamburg Hanoi Helsinki Houston Istanbul Jakarta
Karachi Kyoto Lagos Leeds Lima Lisbon Lyon Madrid Manila Marseille Melbourne Memphis Milan
Monterrey Montreal Mumbai Munich Nairobi Naples Oakland Osaka Oslo Phoenix Porto Prague
Quito Rotterdam Santiago Seattle Seoul Seville Sydney Tampa Tbilisi Toronto Tucson Turin
Valencia Vienna Warsaw Wellington Winnipeg Zagreb Zurich""".split()

TOPICS = """Politics Economy Elections Climate Health Education Housing Immigration Trade
Energy Transport Crime Courts Technology Science Space Agriculture Labor Tourism Banking
Inflation Taxes Defense Diplomacy Water Wildfires Floods Drought Heat Storms Pandemic Vaccines
Hospitals Schools Universities Startups Retail Manufacturing Shipping Aviation Railways Roads
Oil Gas Renewables Nuclear Mining Fisheries Forestry Wildlife Oceans Pollution Recycling
Privacy Cybersecurity Media Film Music Theater Books Art Museums Fashion Food Football
Basketball Tennis Cricket Athletics Cycling Olympics Religion Migration Pensions Wages Unions
Strikes Protests Policing Prisons Terrorism Refugees Poverty Childcare Aging Demographics
Census Budget Debt Currency Stocks Bonds Housing-Market Real-Estate Insurance Telecoms
Semiconductors Robotics Biotech""".split()
# The most used tags, in rank order (the first is on half the articles).
TOP_TAGS = ["Politics", "Economy", "Health", "Climate", "Elections", "Technology", "Courts",
            "Housing"]
TAG_QUALIFIERS = """Politics Economy Elections Transport Housing Health Schools Crime Weather
Energy""".split()

GRAMMAR = {
    "actor": [
        "the city council", "the central bank", "state regulators", "the health ministry",
        "officials in {place}", "lawmakers in {place}", "the transport authority",
        "union leaders", "a coalition of landlords", "the supreme court", "local prosecutors",
        "the national weather service", "a group of investors", "the school board",
        "the port authority", "emergency crews", "the finance ministry", "researchers at {uni}",
        "executives at {firm}", "residents of {place}", "the mayor of {place}",
    ],
    "deed": [
        "approved", "rejected", "delayed", "announced", "unveiled", "scrapped", "extended",
        "defended", "challenged", "revised", "endorsed", "blocked", "welcomed", "questioned",
    ],
    "thing": [
        "a {money} plan to rebuild the {infra}", "new limits on {activity}",
        "a proposal to expand {service}", "the {adj} budget for {service}",
        "a long-awaited report on {issue}", "an agreement with {party} over {issue}",
        "tighter rules for {activity}", "a pilot program for {service}",
        "the contract for the {infra}", "a review of {issue}",
    ],
    "infra": [
        "harbor bridge", "light-rail line", "water treatment plant", "northern ring road",
        "airport terminal", "flood barrier", "power grid", "central library", "bus depot",
        "children's hospital", "container terminal", "sewer network",
    ],
    "activity": [
        "short-term rentals", "ride-hailing fares", "night flights", "groundwater pumping",
        "coal imports", "drone deliveries", "payday lending", "factory emissions",
        "fishing in coastal waters", "sales of vaping products", "construction near the river",
    ],
    "service": [
        "after-school care", "rural broadband", "late-night buses", "mental health clinics",
        "public housing", "free school meals", "the ferry service", "elder care",
        "the recycling program", "addiction treatment", "legal aid",
    ],
    "issue": [
        "rising rents", "hospital waiting times", "air quality", "teacher shortages",
        "coastal erosion", "food prices", "wage growth", "pension reform", "police oversight",
        "water shortages", "youth unemployment", "the housing backlog", "energy bills",
    ],
    "party": [
        "the teachers' union", "neighboring provinces", "two regional airlines",
        "the federal government", "a European consortium", "farm groups",
        "the opposition", "landlord associations", "hospital operators",
    ],
    "adj": ["revised", "annual", "emergency", "scaled-back", "expanded", "provisional", "record"],
    "role": [
        "a spokeswoman for the ministry", "an economist at {firm}", "a professor at {uni}",
        "a city council member", "a senior analyst at {firm}", "a union organizer",
        "a resident of {place}", "a former official", "a spokesman for {firm}",
        "a local shop owner", "an engineer who worked on the project",
    ],
    "firm": [
        "Northgate Capital", "Harrow & Finch", "Meridian Analytics", "Bluewater Partners",
        "Castellan Group", "Orion Freight", "Solace Energy", "Tidewater Bank",
        "Kestrel Labs", "Granite Street Advisors", "Pioneer Mutual", "Amberline Foods",
    ],
    "uni": [
        "Lakeside University", "the Institute of Public Policy", "Eastbrook College",
        "the Polytechnic Institute", "Riverside Medical School", "the School of Economics",
    ],
    "source": [
        "budget documents", "a person familiar with the talks", "court filings",
        "figures from the statistics office", "an internal memo", "people briefed on the plan",
        "a report by {firm}", "official estimates",
    ],
    "reaction": [
        "long overdue", "a step in the right direction", "too little, too late",
        "unworkable in its current form", "a fair compromise", "a costly mistake",
        "the best of several bad options", "rushed", "a welcome change",
    ],
    "consequence": [
        "push up prices for consumers", "leave thousands without coverage",
        "delay the project by years", "hurt small businesses", "strain the city's finances",
        "shift the burden to renters", "face legal challenges", "deter investment",
    ],
    "benefit": [
        "cut commuting times", "create hundreds of jobs", "ease pressure on hospitals",
        "lower household bills", "make streets safer", "protect the coastline",
        "bring down emissions", "help first-time buyers",
    ],
    "measure": [
        "consumer prices", "retail sales", "factory output", "home prices",
        "unemployment claims", "exports", "hotel bookings", "bankruptcy filings",
        "ridership", "enrollment",
    ],
    "motion": ["rose", "fell", "climbed", "slipped", "jumped", "dropped", "edged up", "eased"],
    "process": ["negotiations", "hearings", "public consultations", "closed-door talks",
                "legal wrangling", "budget talks"],
    "uncertain": [
        "the plan would survive a court challenge", "the deadline would be met",
        "other cities would follow", "the money had already been allocated",
        "the agreement covered part-time workers", "the decision was final",
    ],
    "when": ["on {weekday}", "late on {weekday}", "earlier this week", "last month",
             "on {weekday} morning", "after months of debate"],
}

SENTENCES = [
    "{Actor} {deed} {thing} {when}.",
    "{Actor} {deed} {thing}, according to {source}.",
    "The measure would cost about {money} over {small} years, according to {source}.",
    "\"This is {reaction},\" said {person}, {role}.",
    "{person}, {role}, called the decision {reaction}.",
    "Critics say the changes could {consequence}.",
    "Supporters argue the plan will {benefit}, while opponents warn it could {consequence}.",
    "Data released {when} showed {measure} {motion} {pct} percent from a year earlier.",
    "The decision follows {small} months of {process} between {actor} and {party}.",
    "It was not immediately clear whether {uncertain}.",
    "About {count} people attended a public hearing in {place} {when}.",
    "Officials said the first phase would begin in {month} and finish by {year}.",
    "{Actor} said it would publish a full review of {issue} by {month}.",
    "In {place}, {measure} {motion} for the {ordinal} month in a row.",
    "The vote was {count_small} to {count_smaller}, with {count_smaller} members absent.",
    "Similar efforts in {place} and {place} have produced mixed results.",
]

HEADLINES = {
    "news": [
        "{Place} {actor_h} {deed} {thing_h}",
        "{Actor_h} {deed} {thing_h} amid concern over {issue}",
        "{Actor_h} in {place} {deed} {thing_h}",
        "{Measure} {motion} {pct} percent in {place} amid worries over {issue}",
        "After {small} months of {process}, {actor} {deed} {thing_h}",
    ],
    "analysis": [
        "Why {issue} is testing {actor} in {place}",
        "What the fight over {activity} says about {issue}",
        "How {place} became a test case for {issue}",
    ],
    "opinion": [
        "{Place} should rethink its approach to {issue}",
        "The case against new limits on {activity}",
        "It is time to take {issue} seriously in {place}",
        "Why I changed my mind about {service}",
    ],
}
GRAMMAR["actor_h"] = ["regulators", "lawmakers", "council", "central bank", "unions",
                      "health officials", "prosecutors", "school board", "port authority",
                      "transit agency", "court", "investors"]
GRAMMAR["thing_h"] = ["rail expansion", "rent controls", "water rationing", "fuel tax rise",
                      "hospital merger", "ride-hailing rules", "flood defenses", "budget cuts",
                      "new bus routes", "pension changes", "school closures", "wage deal",
                      "drone rules", "port expansion", "housing plan", "emissions targets"]

PHOTO_SUBJECTS = [
    "Commuters wait on a crowded platform", "Demonstrators gather outside city hall",
    "Workers inspect a section of the new line", "Shoppers walk through a covered market",
    "Council members listen during a hearing", "A crane lifts steel beams at the site",
    "Volunteers fill sandbags near the river", "Students leave a school building",
    "Traders watch screens on the exchange floor", "Fans cheer in the stands",
]
CREDITS = ["Staff photographer", "Courier Wire", "Pool photo", "City Photo Desk", "Freelance"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]
QUOTES = [
    "\"We have waited {small} years for this, and it is {reaction},\" {person}, {role}, told reporters.",
    "\"Nobody I know thinks this will {benefit},\" said {person}, {role}. \"It will {consequence}.\"",
    "\"The question is not whether we act on {issue}, but how fast,\" said {person}, {role}.",
]
SUBHEADS = ["What happens next", "A long fight", "The cost", "Who is affected", "Reaction",
            "Background", "The numbers", "Next steps", "Opposition grows", "A divided council",
            "Questions remain", "Looking ahead"]


class Grammar:
    """Fills `{slot}` templates from GRAMMAR with random choices.

    A capitalised slot (`{Actor}`) is filled like `{actor}` and then given an
    initial capital. Numeric slots (`{money}`, `{pct}`...) are generated.
    Occasionally a filled phrase is wrapped in *emphasis* or **bold**.
    """

    SLOT = re.compile(r"\{(\w+)\}")

    def __init__(self, rng, emphasis=0.0):
        self.rng = rng
        self.emphasis = emphasis

    def fill(self, template):
        """Returns `template` with every slot filled (recursively)."""
        return self.SLOT.sub(self._slot, template)

    def _slot(self, match):
        name = match.group(1)
        text = self._value(name.lower())
        if name[0].isupper():
            text = capitalize(text)
        return text

    def _value(self, name):
        rng = self.rng
        generated = {
            "money": lambda: f"${rng.randint(2, 95)}.{rng.randint(1, 9)} {rng.choice(['million', 'billion'])}",
            "pct": lambda: f"{rng.randint(0, 14)}.{rng.randint(1, 9)}",
            "small": lambda: str(rng.randint(2, 9)),
            "count": lambda: f"{rng.randint(1, 9) * 100 + rng.randint(0, 99)}",
            "count_small": lambda: str(rng.randint(6, 11)),
            "count_smaller": lambda: str(rng.randint(1, 5)),
            "year": lambda: str(rng.randint(2024, 2030)),
            "month": lambda: rng.choice(MONTHS),
            "weekday": lambda: rng.choice(WEEKDAYS),
            "ordinal": lambda: rng.choice(ORDINALS),
            "place": lambda: rng.choice(PLACES).replace("-", " "),
            "person": lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        }
        if name in generated:
            return generated[name]()
        text = self.fill(rng.choice(GRAMMAR[name]))
        if name in ("thing", "issue", "firm") and rng.random() < self.emphasis:
            return f"**{text}**" if rng.random() < 0.4 else f"*{text}*"
        return text

    def sentence(self):
        """One body sentence."""
        return self.fill(self.rng.choice(SENTENCES))


# --------------------------------------------------------------------------
# Corpus model
# --------------------------------------------------------------------------

@dataclass
class Article:
    """One generated article, shared by every output format."""
    index: int            # position in date order, oldest first
    section: str
    slug: str
    headline: str
    date: datetime
    kind: str
    tags: list
    authors: list
    dek: str = None
    updated: datetime = None
    summary: list = field(default_factory=list)
    image: dict = None
    related: list = field(default_factory=list)   # "section/slug" of earlier articles
    body: str = ""
    words: int = 0
    links: int = 0

    @property
    def key(self):
        """The `section/slug` form used by `related`."""
        return f"{self.section}/{self.slug}"

    @property
    def url(self):
        """The site-relative URL of the article page."""
        return f"/{self.section}/{self.slug}/"


def slugify(text):
    """Lower-case ASCII words joined by `-` (the same result as Dateline and
    Hugo give for the plain-ASCII headlines and tags generated here)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def weighted_picker(rng, items, weights):
    """Returns a function drawing one item with the given relative weights."""
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    return lambda: rng.choices(items, cum_weights=cum, k=1)[0]


def make_tags(rng, count=800):
    """About `count` distinct tag names, most general first (rank order).

    Rank 0 goes on half the articles; the others follow a Zipf-like curve.
    """
    head = list(TOP_TAGS)
    general = sorted(t.replace("-", " ") for t in TOPICS if t not in TOP_TAGS)
    places = sorted(p.replace("-", " ") for p in PLACES)
    combos = sorted(f"{p} {q}" for p in places for q in TAG_QUALIFIERS)
    rng.shuffle(general)
    rng.shuffle(places)
    rng.shuffle(combos)
    ranked, seen = [], set()
    for name in head + general + places + combos:
        slug = slugify(name)
        if slug not in seen:
            seen.add(slug)
            ranked.append(name)
    return ranked[:count]


def make_authors(rng, count=150):
    """`count` distinct author names."""
    names = sorted({f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES})
    return rng.sample(names, count)


def make_dates(rng, n):
    """`n` distinct minute-precision UTC date-times over YEARS years, ascending."""
    minutes = int((datetime(START.year + YEARS, 1, 1, tzinfo=timezone.utc) - START).total_seconds() // 60)
    if n > minutes:
        sys.exit(f"corpus.py: at most {minutes} articles (one per minute)")
    return [START + timedelta(minutes=m) for m in sorted(rng.sample(range(minutes), n))]


class SlugRegistry:
    """Hands out corpus-wide unique slugs, adding -2, -3... on collisions.

    Section path parts are reserved so no article URL can equal a section URL.
    """

    def __init__(self):
        self.taken = {part for path, _, _ in SECTIONS for part in path.split("/")}
        self.taken.update({"page", "tags"})

    def claim(self, headline):
        """A unique slug for `headline`."""
        base = "-".join(slugify(headline).split("-")[:10])
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def pick_tags(rng, ranked, zipf_pick):
    """2-6 distinct tags: the top tag with probability 1/2, the rest Zipf-like."""
    want = rng.randint(2, 6)
    tags = [ranked[0]] if rng.random() < 0.5 else []
    while len(tags) < want:
        tag = zipf_pick()
        if tag not in tags:
            tags.append(tag)
    return tags


def make_body(rng, grammar, article, earlier):
    """A 450-700 word markdown body. Returns (markdown, words, link count).

    Words are counted as whitespace-separated tokens, markup included.
    """
    target = rng.randint(450, 670)
    extras = []
    for other in rng.sample(earlier, min(len(earlier), rng.randint(1, 3))):
        extras.append(rng.choice([
            f"The move comes after [{other.headline.lower()}]({other.url}), as reported earlier.",
            f"Earlier coverage: [{other.headline}]({other.url}).",
            f"As [we reported previously]({other.url}), the issue has divided residents.",
        ]))
    doc = rng.choice(["reports", "data", "filings", "briefings"])
    extras.append(f"A [summary of the findings](https://www.example.org/{doc}/"
                  f"{article.slug[:40].strip('-')}-{article.date.year}) was published online.")
    quote = "> " + grammar.fill(rng.choice(QUOTES))
    bullets = []
    if rng.random() < 0.35:
        bullets = [f"- {grammar.fill('{Thing}')}" for _ in range(rng.randint(3, 5))]
    subheads = rng.sample(SUBHEADS, rng.randint(1, 3))

    words = sum(len(t.split()) for t in extras + [quote] + bullets + subheads)
    paragraphs, room = [], 0
    while words < target:
        if room == 0:
            paragraphs.append([])
            room = rng.randint(2, 4)
        sentence = grammar.sentence()
        paragraphs[-1].append(sentence)
        words += len(sentence.split())
        room -= 1
    for text in extras:
        para = rng.choice(paragraphs)
        para.insert(rng.randint(1, len(para)), text)

    blocks = [" ".join(p) for p in paragraphs]
    # Insert from the end backwards so earlier positions stay valid.
    inserts = [(rng.randint(1, len(blocks)), quote)]
    if bullets:
        inserts.append((rng.randint(1, len(blocks)), "\n".join(bullets)))
    step = max(1, len(blocks) // (len(subheads) + 1))
    for i, head in enumerate(subheads):
        inserts.append((min(len(blocks), step * (i + 1)), f"## {head}"))
    for pos, block in sorted(inserts, key=lambda x: x[0], reverse=True):
        blocks.insert(pos, block)
    return "\n\n".join(blocks) + "\n", words, len(extras)


def make_article(rng, grammar, index, date, section, slugs, tag_pick, author_pick, earlier):
    """Generates article number `index` (date order) in `section`."""
    if section == "opinion":
        kind = "opinion"
    else:
        kind = "analysis" if rng.random() < 0.065 else "news"
    headline = plain(grammar.fill(rng.choice(HEADLINES[kind])))
    headline = capitalize(headline)
    art = Article(index=index, section=section, slug=slugs.claim(headline), headline=headline,
                  date=date, kind=kind, tags=tag_pick(), authors=[])
    art.authors = [author_pick()]
    if rng.random() < 0.25:
        second = author_pick()
        if second != art.authors[0]:
            art.authors.append(second)
    if rng.random() < 0.85:
        art.dek = plain(grammar.sentence())
    if rng.random() < 0.1:
        art.updated = date + timedelta(minutes=rng.randint(30, 3000))
    if rng.random() < 0.5:
        art.summary = [plain(grammar.sentence()) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.7:
        art.image = {
            "src": f"/images/{date:%Y/%m}/{art.slug[:48].strip('-')}.jpg",
            "alt": f"{rng.choice(PHOTO_SUBJECTS)} in {rng.choice(PLACES).replace('-', ' ')}",
            "caption": plain(grammar.sentence()),
            "credit": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} / {rng.choice(CREDITS)}",
        }
    if earlier and rng.random() < 0.6:
        # Mostly recent stories, as an editor would pick.
        pool = earlier[-200:]
        art.related = [a.key for a in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]
    art.body, art.words, art.links = make_body(rng, grammar, art, earlier[-500:])
    return art


def capitalize(text):
    """`text` with its first letter in upper case (skipping `*` markup)."""
    i = len(text) - len(text.lstrip("*"))
    return text[:i] + text[i:i + 1].upper() + text[i + 1:]


def plain(text):
    """Text without markdown emphasis, for front-matter fields."""
    return text.replace("**", "").replace("*", "")


def generate(n, seed):
    """Generates the whole corpus: a list of Article, oldest first."""
    rng = random.Random(seed)
    grammar = Grammar(rng, emphasis=0.12)
    ranked = make_tags(rng)
    tag_zipf = weighted_picker(rng, ranked[1:], [1.0 / (k + 1) ** 1.05 for k in range(1, len(ranked))])
    authors = make_authors(rng)
    author_pick = weighted_picker(rng, authors, [1.0 / (k + 8) for k in range(len(authors))])
    section_pick = weighted_picker(rng, [s for s, _, _ in SECTIONS], [w for _, _, w in SECTIONS])
    slugs = SlugRegistry()
    articles = []
    for index, date in enumerate(make_dates(rng, n)):
        art = make_article(rng, grammar, index, date, section_pick(), slugs,
                           lambda: pick_tags(rng, ranked, tag_zipf), author_pick, articles)
        articles.append(art)
    return articles


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def q(text):
    """A YAML (and TOML) double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def q_list(items):
    """A flow-style YAML list of quoted strings."""
    return "[" + ", ".join(q(i) for i in items) + "]"


def iso(dt):
    """RFC 3339 in UTC: 2023-08-23T01:51:00Z."""
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def image_yaml(image, key):
    """The `image` mapping as block YAML lines."""
    lines = [f"{key}:"]
    for k in ("src", "alt", "caption", "credit"):
        lines.append(f"  {k}: {q(image[k])}")
    return lines


def dateline_article(art):
    """The article file in Dateline's format."""
    fm = [f"headline: {q(art.headline)}"]
    if art.dek:
        fm.append(f"dek: {q(art.dek)}")
    fm.append(f"date: {iso(art.date)}")
    if art.updated:
        fm.append(f"updated: {iso(art.updated)}")
    fm.append(f"kind: {art.kind}")
    fm.append(f"tags: {q_list(art.tags)}")
    fm.append(f"authors: {q_list(art.authors)}")
    if art.summary:
        fm.append("summary:")
        fm.extend(f"  - {q(s)}" for s in art.summary)
    if art.image:
        fm.extend(image_yaml(art.image, "image"))
    if art.related:
        fm.append("related:")
        fm.extend(f"  - {r}" for r in art.related)
    return "---\n" + "\n".join(fm) + "\n---\n" + art.body


def hugo_article(art):
    """The article file as Hugo content (YAML front matter, custom keys as params)."""
    d = art.date
    fm = [f"title: {q(art.headline)}"]
    if art.dek:
        fm.append(f"description: {q(art.dek)}")
    fm.append(f"date: {iso(d)}")
    if art.updated:
        fm.append(f"lastmod: {iso(art.updated)}")
    fm.append(f"story_kind: {art.kind}")
    fm.append(f"tags: {q_list(art.tags)}")
    fm.append(f"archives: {q_list([f'{d:%Y}', f'{d:%Y-%m}', f'{d:%Y-%m-%d}'])}")
    fm.append(f"authors: {q_list(art.authors)}")
    if art.summary:
        fm.append("highlights:")
        fm.extend(f"  - {q(s)}" for s in art.summary)
    if art.image:
        fm.extend(image_yaml(art.image, "lead_image"))
    if art.related:
        fm.append("related_stories:")
        fm.extend(f"  - {q(r)}" for r in art.related)
    return "---\n" + "\n".join(fm) + "\n---\n" + art.body


def all_sections(articles):
    """Every section holding an article, with its ancestors, sorted."""
    paths = set()
    for art in articles:
        parts = art.section.split("/")
        for i in range(1, len(parts) + 1):
            paths.add("/".join(parts[:i]))
    return sorted(paths)


def write_file(path, text):
    """Writes UTF-8 text with LF line endings, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_dateline(root, articles):
    """Writes the Dateline site under `root`."""
    lines = [
        "# Generated by bench/corpus.py: a synthetic corpus for benchmarks.",
        f"title = {q(SITE_TITLE)}",
        f"base_url = {q(BASE_URL)}",
        'language = "en"',
        'timezone = "UTC"',
        f"paginate = {PAGINATE}",
        "",
        "[sections]",
    ]
    lines += [f"{q(p)} = {q(SECTION_NAMES[p])}" for p in SECTION_NAMES]
    write_file(root / "site.toml", "\n".join(lines) + "\n")
    for art in articles:
        write_file(root / "content" / art.section / f"{art.slug}.md", dateline_article(art))


def write_hugo(root, articles):
    """Writes the Hugo site under `root`: config, content and layouts."""
    write_file(root / "config.toml", HUGO_CONFIG)
    order = list(SECTION_NAMES)
    for path in all_sections(articles):
        write_file(root / "content" / path / "_index.md",
                   f"---\ntitle: {q(SECTION_NAMES.get(path, path))}\nweight: {order.index(path) + 1}\n---\n")
    for art in articles:
        write_file(root / "content" / art.section / f"{art.slug}.md", hugo_article(art))
    for name, text in HUGO_LAYOUTS.items():
        write_file(root / name, text.lstrip("\n"))


HUGO_CONFIG = f"""# Generated by bench/corpus.py: the benchmark corpus as a Hugo site.
baseURL = {q(BASE_URL)}
title = {q(SITE_TITLE)}
languageCode = "en"
timeZone = "UTC"
paginate = {PAGINATE}
# Feeds, the sitemap and robots.txt stay on: Dateline writes them too.
enableRobotsTXT = true

[taxonomies]
  tag = "tags"
  author = "authors"
  archive = "archives"

[markup.goldmark.renderer]
  unsafe = true
"""

# Minimal layouts rendering what Dateline's default theme renders: article
# pages with section link, kind, headline, dek, dates, highlights, lead image,
# byline, body, topics, related stories (resolved with GetPage) and
# previous/next in section; paginated section fronts (descendants included),
# tag and archive pages, home page; term lists with counts; 404.
HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": """
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
<header class="masthead">
<a class="masthead__title" href="/">{{ site.Title }}</a>
<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}<li><a href="/tags/">Topics</a></li></ul></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>&copy; {{ site.Title }}</p></footer>
</body>
</html>
""",
    "layouts/partials/card.html": """
<article class="card card--{{ .Params.story_kind }}">
{{- with .Params.lead_image }}
<a class="card__image" href="{{ $.RelPermalink }}" tabindex="-1" aria-hidden="true"><img src="{{ .src }}" alt="" loading="lazy"></a>
{{- end }}
<div class="card__text">
<p class="card__meta"><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a>{{ if and (ne .Params.story_kind "news") (ne .Params.story_kind "opinion") }} <span class="kind">{{ .Params.story_kind | title }}</span>{{ end }}</p>
<h2 class="card__headline"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{- with .Description }}
<p class="card__dek">{{ . }}</p>
{{- end }}
<p class="card__byline">{{ with .Params.authors }}{{ delimit . ", " }} · {{ end }}<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time></p>
</div>
</article>
""",
    "layouts/partials/pager.html": """
{{- if gt .TotalPages 1 }}
<nav class="pagination" aria-label="Pages">
{{- with .Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
<span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
{{- with .Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
</nav>
{{- end }}
""",
    "layouts/index.html": """
{{ define "main" }}
{{- $pager := .Paginate site.RegularPages.ByDate.Reverse }}
<h1 class="visually-hidden">Latest news</h1>
<div class="cards">
{{- range $pager.Pages }}
{{ partial "card.html" . }}
{{- end }}
</div>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "layouts/_default/list.html": """
{{ define "main" }}
<header class="list-header">
<h1>{{ .Title }}</h1>
{{- if and (eq .Kind "section") .Sections }}
<nav class="subsections"><ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
{{- end }}
</header>
{{- $pages := .Pages }}
{{- if eq .Kind "section" }}{{ $pages = .RegularPagesRecursive }}{{ end }}
{{- $pager := .Paginate $pages.ByDate.Reverse }}
<div class="cards">
{{- range $pager.Pages }}
{{ partial "card.html" . }}
{{- end }}
</div>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "layouts/_default/terms.html": """
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms">
{{- range .Data.Terms.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="count">{{ .Count }}</span></li>
{{- end }}
</ul>
{{ end }}
""",
    "layouts/_default/single.html": """
{{ define "main" }}
<article class="story story--{{ .Params.story_kind }}">
<header class="story__header">
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></nav>
{{- if ne .Params.story_kind "news" }}
<p class="kind">{{ .Params.story_kind | title }}</p>
{{- end }}
<h1 class="story__headline">{{ .Title }}</h1>
{{- with .Description }}
<p class="story__dek">{{ . }}</p>
{{- end }}
<p class="story__dateline"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006, 3:04 PM" }}</time>
{{- if .Params.lastmod }} <span class="story__updated">Updated <time datetime="{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Lastmod.Format "January 2, 2006, 3:04 PM" }}</time></span>{{ end }}</p>
</header>
{{- with .Params.highlights }}
<section class="highlights"><h2>Highlights</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul></section>
{{- end }}
{{- with .Params.lead_image }}
<figure class="lead-image">
<img src="{{ .src }}" alt="{{ .alt }}">
<figcaption><span class="lead-image__caption">{{ .caption }}</span> <span class="lead-image__credit">{{ .credit }}</span></figcaption>
</figure>
{{- end }}
{{- with .Params.authors }}
<p class="byline">By {{ delimit . ", " " and " }}</p>
{{- end }}
<div class="story__body">
{{ .Content }}
</div>
{{- with .GetTerms "tags" }}
<nav class="story__tags" aria-label="Topics"><h2>Topics</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}" rel="tag">{{ .LinkTitle }}</a></li>{{ end }}</ul></nav>
{{- end }}
{{- with .Params.related_stories }}
<aside class="related"><h2>Related</h2><ul>
{{- range . }}{{ with site.GetPage (printf "/%s" .) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{- end }}{{ end }}
</ul></aside>
{{- end }}
<nav class="story__pager">
{{- with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{- with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
</article>
{{ end }}
""",
    "layouts/404.html": """
{{ define "main" }}
<h1>Page not found</h1>
<p>The page you asked for does not exist. Try the <a href="/">front page</a>.</p>
{{ end }}
""",
    "static/css/site.css": """
body { font-family: Georgia, serif; max-width: 60rem; margin: 0 auto; padding: 1rem; }
.masthead nav ul, .terms, .story__tags ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.card { display: flex; gap: 1rem; border-top: 1px solid #ddd; padding: 1rem 0; }
.card img { width: 10rem; }
.visually-hidden { position: absolute; clip: rect(0 0 0 0); }
""",
}


# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------

def pages(count):
    """Number of list pages for `count` articles."""
    return max(1, math.ceil(count / PAGINATE))


def count_lists(articles):
    """Article counts per section (descendants included), tag slug, author,
    kind, year, month and day, plus each tag slug's spelling."""
    counts = {name: Counter() for name in ("section", "own", "tag", "author", "kind", "year", "month", "day")}
    tag_names = {}
    for art in articles:
        counts["own"][art.section] += 1
        parts = art.section.split("/")
        for i in range(1, len(parts) + 1):
            counts["section"]["/".join(parts[:i])] += 1
        for t in art.tags:
            counts["tag"][slugify(t)] += 1
            tag_names[slugify(t)] = t
        counts["author"].update(art.authors)
        counts["kind"][art.kind] += 1
        counts["year"][f"{art.date:%Y}"] += 1
        counts["month"][f"{art.date:%Y-%m}"] += 1
        counts["day"][f"{art.date:%Y-%m-%d}"] += 1
    return counts, tag_names


def expected_pages(n, counts):
    """Pages per kind each tool should write (Hugo's .../page/1/ redirect
    files are not counted)."""
    def list_pages(kind):
        return sum(pages(c) for c in counts[kind].values())

    lists = {"home": pages(n), "section": list_pages("section"), "tag": list_pages("tag")}
    archives = {f"archive_{k}": list_pages(k) for k in ("year", "month", "day")}
    lists["author"] = list_pages("author")
    dateline = {"article": n, **lists, "tags": 1, "authors": 1, **archives, "corrections": 1, "not_found": 1}
    dateline["total"] = sum(dateline.values())
    hugo = {"article": n, **lists, "archive_terms": sum(archives.values()),
            "taxonomy_lists": 3, "not_found": 1}
    hugo["total"] = sum(hugo.values())
    return {"dateline": dateline, "hugo": hugo}


def corpus_stats(articles, n, seed):
    """Counts of what was generated and the pages each tool should write."""
    counts, tag_names = count_lists(articles)
    words = sorted(a.words for a in articles)
    top = sorted(counts["tag"].items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "generator": "bench/corpus.py",
        "generator_sha256": source_digest(),
        "n": n,
        "seed": seed,
        "articles": n,
        "sections": {p: {"name": SECTION_NAMES.get(p, p), "own": counts["own"][p], "with_descendants": c}
                     for p, c in sorted(counts["section"].items())},
        "kinds": dict(sorted(counts["kind"].items())),
        "tags": {"distinct": len(counts["tag"]),
                 "per_article_mean": round(sum(len(a.tags) for a in articles) / n, 2),
                 "top": [{"name": tag_names[s], "slug": s, "articles": c} for s, c in top],
                 "top_share": round(top[0][1] / n, 3)},
        "authors": {"distinct": len(counts["author"])},
        "dates": {"first": iso(articles[0].date), "last": iso(articles[-1].date),
                  **{f"{k}s": len(counts[k]) for k in ("year", "month", "day")}},
        "words": {"min": words[0], "median": words[len(words) // 2], "max": words[-1], "total": sum(words)},
        "with": {key: sum(1 for a in articles if getattr(a, key))
                 for key in ("dek", "image", "summary", "related", "updated")},
        "body_links": sum(a.links for a in articles),
        "expected_pages": expected_pages(n, counts),
    }


def source_digest():
    """SHA-256 of this file: a cached corpus is reused only if it matches."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def prepare_out(out, force):
    """Makes `out` ready to receive a corpus, clearing an earlier one.

    A folder is only cleared if it is empty or was made by this script (it
    holds the marker file), unless `force`.
    """
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()) and not (out / MARKER).exists() and not force:
        sys.exit(f"corpus.py: {out} is not empty and was not made by corpus.py (use --force)")
    for name in ("dateline", "hugo"):
        if (out / name).exists():
            shutil.rmtree(out / name)
    (out / MARKER).write_text("made by bench/corpus.py\n")


def write_corpus(n, seed, out, formats=("dateline", "hugo"), force=False):
    """Generates the corpus and writes the requested formats and stats.json.

    Returns the stats dictionary.
    """
    out = Path(out)
    articles = generate(n, seed)
    prepare_out(out, force)
    if "dateline" in formats:
        write_dateline(out / "dateline", articles)
    if "hugo" in formats:
        write_hugo(out / "hugo", articles)
    stats = corpus_stats(articles, n, seed)
    stats["formats"] = list(formats)
    write_file(out / "stats.json", json.dumps(stats, indent=2) + "\n")
    return stats


def main(argv=None):
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--formats", default="dateline,hugo", help="comma list: dateline,hugo")
    ap.add_argument("--force", action="store_true", help="clear a non-empty folder not made by this script")
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("dateline", "hugo")]
    if unknown or not formats:
        ap.error(f"unknown format(s): {', '.join(unknown) or '(none)'}")
    if args.n < 1:
        ap.error("--n must be at least 1")
    stats = write_corpus(args.n, args.seed, args.out, formats, args.force)
    exp = stats["expected_pages"]
    print(f"wrote {stats['articles']} articles ({', '.join(formats)}) to {args.out}: "
          f"{len(stats['sections'])} sections, {stats['tags']['distinct']} tags "
          f"(top on {stats['tags']['top_share']:.0%}), {stats['dates']['days']} days; "
          f"expected pages: dateline {exp['dateline']['total']}, hugo {exp['hugo']['total']}")


if __name__ == "__main__":
    main()
