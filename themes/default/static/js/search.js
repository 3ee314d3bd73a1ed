// The search page: results as the reader types, from the site's own
// static index. Reads and writes ?q=, section, tag, author, year and
// sort in the address, so a search can be linked and reloaded.
const form = document.querySelector(".search-form");
const input = form.querySelector("input[name=q]");
const filters = form.querySelector(".search-form__filters");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const more = document.querySelector(".search-more");
const FILTERS = ["section", "tag", "author", "year"];
const PAGE = 20;

// The index (see docs/search.md): small JSON files fetched as needed.
const bundle = form.dataset.bundle;
const loaded = new Map();
function get(file) {
  if (!loaded.has(file)) loaded.set(file, fetch(bundle + file).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  return loaded.get(file);
}
const meta = await get("index.json");
const shards = new Set(meta ? meta.shards : []);
const hex = (text) => [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0")).join("");
// Split as the index was: lower-cased runs of letters and digits.
const split = (text) => text.toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).filter((w) => w && [...w].length <= 40);
// A term's shard is the longest listed one that begins it: crowded
// shards are split a character deeper (docs/search.md).
const longest = Math.max(0, ...[...shards].map((k) => k.length));
function shardOf(term) {
  const key = hex(term);
  for (let end = Math.min(key.length, longest); end > 0; end -= 2) {
    if (shards.has(key.slice(0, end))) return key.slice(0, end);
  }
  return null;
}
// While typing, the deeper shards of a short prefix join in, unless
// there are so many that one keystroke would fetch half the index.
const DEEPER = 8;

/** Documents holding `term` (or, typing, a term it begins), with weights. */
async function postings(term, prefix) {
  const found = new Map();
  const keys = [];
  const own = shardOf(term);
  if (own) keys.push(own);
  const typing = prefix && [...term].length > 1;
  if (typing) {
    const key = hex(term);
    const deeper = [...shards].filter((k) => k.length > key.length && k.startsWith(key) && k !== own);
    if (deeper.length <= DEEPER) keys.push(...deeper);
  }
  for (const key of keys) {
    const shard = (await get(`t/${key}.json`)) || {};
    const lists = typing ? Object.keys(shard).filter((t) => t.startsWith(term)).map((t) => shard[t]) : [shard[term] || []];
    for (const list of lists) {
      // Documents are stored as gaps from the previous one.
      for (let i = 0, doc = 0; i < list.length; i += 2) {
        doc += list[i];
        found.set(doc, Math.max(found.get(doc) || 0, list[i + 1]));
      }
    }
  }
  return found;
}

async function matching(q, picked, sort) {
  let docs = null;
  let scores = new Map();
  const words = split(q);
  const typing = q.length > 0 && !/\s$/.test(q);
  for (const [i, word] of words.entries()) {
    const found = await postings(word, typing && i === words.length - 1);
    const idf = Math.log(1 + meta.docs / Math.max(found.size, 1));
    const next = new Map();
    for (const [doc, weight] of found) {
      if (docs === null || docs.has(doc)) next.set(doc, (scores.get(doc) || 0) + weight * idf);
    }
    scores = next;
    docs = new Set(next.keys());
  }
  for (const [name, value] of Object.entries(picked)) {
    const list = new Set((await get(`f/${name}/${hex(value)}.json`)) || []);
    docs = docs === null ? list : new Set([...docs].filter((d) => list.has(d)));
  }
  const out = [...(docs || [])];
  // Documents are numbered oldest first: the newest has the highest.
  if (sort === "date" || !words.length) out.sort((a, b) => b - a);
  else out.sort((a, b) => scores.get(b) - scores.get(a) || b - a);
  return out;
}

async function data(doc) {
  const chunk = (await get(`d/${Math.floor(doc / meta.chunk)}.json`)) || [];
  return chunk[doc % meta.chunk];
}

// Filter menus list every value in the index, with its count.
const counts = (await get("f.json")) || {};
for (const name of FILTERS) {
  const select = form.elements[name];
  const values = [...(counts[name] || [])];
  values.sort((a, b) => (name === "year" ? b[0].localeCompare(a[0]) : a[0].localeCompare(b[0])));
  for (const [value, count] of values) select.append(new Option(`${value} (${count})`, value));
}
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const name of [...FILTERS, "sort"]) {
  const value = params.get(name);
  if (value && [...form.elements[name].options].some((o) => o.value === value)) form.elements[name].value = value;
}
filters.disabled = false;

let shown = [];
let latest = 0;
let offset = 0;

function card(m) {
  const article = document.createElement("article");
  article.className = "card";
  if (m.image) {
    const link = document.createElement("a");
    link.className = "card__image";
    link.href = m.url;
    link.tabIndex = -1;
    link.setAttribute("aria-hidden", "true");
    const img = document.createElement("img");
    img.src = m.image;
    img.alt = "";
    img.loading = "lazy";
    img.decoding = "async";
    link.append(img);
    article.append(link);
  }
  const text = document.createElement("div");
  text.className = "card__text";
  const meta = document.createElement("p");
  meta.className = "card__meta";
  const section = document.createElement("a");
  section.href = m.section_url || "#";
  section.textContent = m.section || "";
  meta.append(section);
  const h = document.createElement("h2");
  h.className = "card__headline";
  const a = document.createElement("a");
  a.href = m.url;
  a.textContent = m.title || m.url;
  h.append(a);
  text.append(meta, h);
  if (m.dek) {
    const dek = document.createElement("p");
    dek.className = "card__dek";
    dek.textContent = m.dek;
    text.append(dek);
  }
  const byline = document.createElement("p");
  byline.className = "card__byline";
  const time = document.createElement("time");
  time.dateTime = m.iso || "";
  time.textContent = m.date || "";
  byline.append(time);
  text.append(byline);
  article.append(text);
  return article;
}

async function showMore() {
  const page = shown.slice(offset, offset + PAGE);
  offset += page.length;
  const items = await Promise.all(page.map(data));
  list.append(...items.filter(Boolean).map(card));
  more.hidden = offset >= shown.length;
}

function chosen() {
  const out = {};
  for (const name of FILTERS) if (form.elements[name].value) out[name] = form.elements[name].value;
  return out;
}

async function run() {
  const q = input.value.trim();
  const picked = chosen();
  const sort = form.elements.sort.value;
  const address = new URLSearchParams();
  if (q) address.set("q", q);
  for (const [k, v] of Object.entries(picked)) address.set(k, v);
  if (sort) address.set("sort", sort);
  history.replaceState(null, "", address.toString() ? `?${address}` : location.pathname);
  if (!q && !Object.keys(picked).length) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  const ticket = ++latest;
  const found = await matching(q, picked, sort);
  if (ticket !== latest) return; // a newer keystroke took over
  shown = found;
  offset = 0;
  list.replaceChildren();
  await showMore();
  const what = q ? ` for “${q}”` : "";
  status.textContent = shown.length === 1 ? `1 result${what}` : `${shown.length} results${what}`;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  run();
});
input.addEventListener("input", run);
for (const name of [...FILTERS, "sort"]) form.elements[name].addEventListener("change", run);
more.querySelector("button").addEventListener("click", showMore);
run();
