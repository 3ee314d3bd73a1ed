// The search page: results as the reader types, from the site's own
// Pagefind index. Reads and writes ?q=, section, tag, author, year and
// sort in the address, so a search can be linked and reloaded.
const form = document.querySelector(".search-form");
const input = form.querySelector("input[name=q]");
const filters = form.querySelector(".search-form__filters");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const more = document.querySelector(".search-more");
const FILTERS = ["section", "tag", "author", "year"];
const PAGE = 20;

const pagefind = await import(form.dataset.bundle + "pagefind.js");
await pagefind.options({ baseUrl: "/" });
pagefind.init();

// Filter menus list every value in the index, with its count.
const counts = await pagefind.filters();
for (const name of FILTERS) {
  const select = form.elements[name];
  const values = Object.keys(counts[name] || {});
  values.sort((a, b) => (name === "year" ? b.localeCompare(a) : a.localeCompare(b)));
  for (const value of values) {
    select.append(new Option(`${value} (${counts[name][value]})`, value));
  }
}
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const name of [...FILTERS, "sort"]) {
  const value = params.get(name);
  if (value && [...form.elements[name].options].some((o) => o.value === value)) form.elements[name].value = value;
}
filters.disabled = false;

let shown = [];
let offset = 0;

function card(data) {
  const m = data.meta || {};
  const article = document.createElement("article");
  article.className = "card";
  if (m.image) {
    const link = document.createElement("a");
    link.className = "card__image";
    link.href = data.url;
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
  a.href = data.url;
  a.textContent = m.title || data.url;
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
  const data = await Promise.all(page.map((r) => r.data()));
  list.append(...data.map(card));
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
  const options = { filters: picked };
  if (sort === "date") options.sort = { date: "desc" };
  const search = await pagefind.debouncedSearch(q || null, options, 150);
  if (search === null) return; // a newer keystroke took over
  shown = search.results;
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
