// Browser tests of the default theme, against the example site served by
// `dateline serve`: layout at 375 and 1280 px, axe-core, live reload, and
// the HTML5 validator on a build. Usage: node run.mjs <dateline binary>
// Prints "N passed, N failed" and exits non-zero on any failure.

import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = path.resolve(process.argv[2] || path.join(repo, "target/debug/dateline"));
const shots = path.join(repo, "target/screenshots");
const chromePath = process.env.CHROMIUM || "/usr/bin/chromium";

// One of each page type of the example site.
const PAGES = {
  home: "/",
  section: "/news/",
  "nested-section": "/news/world/asia/",
  article: "/news/us/ferry-fare-increase/",
  opinion: "/opinion/keep-the-night-ferry/",
  // A page bundle using every built-in shortcode and a highlighted block.
  "rich-article": "/news/us/lowtown-flood-map/",
  // A live blog: its updates newest first (the coverage has ended).
  "live-blog": "/news/us/storm-helena-live/",
  tag: "/tags/port-calder/",
  tags: "/tags/",
  author: "/authors/marisol-ferreira/",
  authors: "/authors/",
  archive: "/2026/11/",
  corrections: "/corrections/",
  // With results drawn, so axe and the overflow check see the cards.
  search: "/search/?q=harbor",
  "not-found": "/no-such-page/",
};

let passed = 0;
const failures = [];
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failures.push(`${name}${detail ? ": " + detail : ""}`);
}

/** A private copy of the example site, so edits never touch the repo. */
function copySite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dateline-browser-"));
  for (const item of ["site.toml", "authors.yaml", "fronts.yaml", "content", "static"]) {
    fs.cpSync(path.join(repo, item), path.join(dir, item), { recursive: true });
  }
  // The example's banner has ended; the copy runs it, so every page is
  // checked with the breaking banner in its masthead.
  const fronts = path.join(dir, "fronts.yaml");
  fs.writeFileSync(fronts, fs.readFileSync(fronts, "utf8").replace(/until: 2026-11-26T00:00:00-05:00/, "until: 2099-01-01T00:00:00Z"));
  // Likewise the live blog's coverage runs on, to check the Live label.
  const live = path.join(dir, "content/news/us/storm-helena-live.md");
  fs.writeFileSync(live, fs.readFileSync(live, "utf8").replace(/live_until: .*/, "live_until: 2099-01-01T00:00:00Z"));
  return dir;
}

/** Starts `dateline serve` and resolves with its base URL. */
function serve(site) {
  const child = spawn(binary, ["serve", "--port", "0"], { cwd: site, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start")), 30000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = line.match(/^Serving at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1].replace(/\/$/, "") });
      }
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function layoutAndAxe(browser, base, axeSource) {
  // Phone and desktop in the light scheme, and desktop once more in dark.
  for (const [width, scheme] of [[375, "light"], [1280, "light"], [1280, "dark"]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    for (const [name, url] of Object.entries(PAGES)) {
      const label = `${name} at ${width}px (${scheme})`;
      const response = await page.goto(base + url, { waitUntil: "load" });
      if (name === "search") await page.waitForSelector(".search-results .card", { timeout: 15000 }).catch(() => {});
      check(`${label}: status`, response.status() === (name === "not-found" ? 404 : 200), String(response.status()));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(`${label}: no horizontal scrolling`, overflow <= 0, `${overflow}px too wide`);
      const banner = await page.locator(".breaking a").count();
      check(`${label}: breaking banner shown`, banner === 1, `${banner} banner links`);
      const h1 = page.locator("h1");
      check(`${label}: one h1`, (await h1.count()) === 1, `${await h1.count()} h1 elements`);
      if (name === "article" || name === "opinion" || name === "rich-article") {
        const rich = [".lead-image img", ".photo img", ".pullquote", ".inline-related a", ".factbox", ".video__link", ".post", ".embed iframe", "pre.hl"];
        const extra = name === "article" ? [".lead-image img"] : name === "rich-article" ? rich : [];
        for (const selector of [".story__headline", ".byline"].concat(extra)) {
          const box = await page.locator(selector).first().boundingBox();
          const visible = await page.locator(selector).first().isVisible();
          check(`${label}: ${selector} visible`, visible && box && box.x >= 0 && box.x + box.width <= width + 1, JSON.stringify(box));
        }
      }
      if (name === "live-blog") {
        const labels = await page.locator(".story__header .live-label").count();
        check(`${label}: Live label while the coverage runs`, labels === 1, `${labels}`);
        const updates = await page.locator(".live-update").count();
        check(`${label}: updates shown`, updates === 5, `${updates}`);
      }
      if (name === "rich-article") {
        // Code scrolls inside its box instead of widening the page.
        const pre = await page.evaluate(() => {
          const el = document.querySelector("pre.hl");
          return { overflowX: getComputedStyle(el).overflowX, right: el.getBoundingClientRect().right };
        });
        check(`${label}: code box scrolls`, pre.overflowX === "auto" && pre.right <= width, JSON.stringify(pre));
        const frames = await page.locator("iframe:not([title])").count();
        check(`${label}: every frame has a title`, frames === 0, `${frames} without`);
      }
      fs.mkdirSync(shots, { recursive: true });
      const suffix = scheme === "dark" ? "-dark" : "";
      await page.screenshot({ path: path.join(shots, `${name}-${width}${suffix}.png`), fullPage: true });
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      });
      check(`${label}: no serious or critical axe violations`, violations.length === 0, violations.join("; "));
    }
    await context.close();
  }
}

async function liveReload(browser, base, site) {
  const page = await browser.newPage();
  await page.goto(base + PAGES.article, { waitUntil: "load" });
  await page.waitForTimeout(300); // let the event stream connect
  const marker = `Live reload marker ${Date.now()}`;
  fs.appendFileSync(path.join(site, "content/news/us/ferry-fare-increase.md"), `\n${marker}\n`);
  try {
    await page.waitForFunction((text) => document.body.innerText.includes(text), marker, { timeout: 10000 });
    check("live reload: the open tab shows the edit", true);
  } catch {
    check("live reload: the open tab shows the edit", false, "text did not appear within 10 s");
  }
  await page.close();
}

function validateHtml(site) {
  // Every page type, as built and as `minify = true` writes it.
  const jar = path.join(here, "node_modules/vnu-jar/build/dist/vnu.jar");
  for (const minify of [false, true]) {
    const out = path.join(site, minify ? "validated-min" : "validated");
    const args = ["build", "-q", "-o", out];
    const config = path.join(site, "site.toml");
    const original = fs.readFileSync(config, "utf8");
    if (minify) fs.writeFileSync(config, "minify = true\n" + original);
    const build = spawnSync(binary, args, { cwd: site, encoding: "utf8" });
    fs.writeFileSync(config, original);
    const label = minify ? "minified" : "built";
    check(`build for validation (${label})`, build.status === 0, build.stderr);
    const files = Object.entries(PAGES).map(([name, url]) =>
      name === "not-found" ? path.join(out, "404.html") : path.join(out, url, "index.html"),
    );
    const vnu = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "text", ...files], { encoding: "utf8" });
    check(`every page type is valid HTML5 when ${label} (vnu)`, vnu.status === 0, (vnu.stderr || "") + (vnu.stdout || ""));
  }
}

/** The width descriptor a derivative's URL names (`harbor-ferry-800.webp`). */
function derivativeWidth(url) {
  const m = url.match(/-(\d+)\.(webp|jpg|png)$/);
  return m ? Number(m[1]) : null;
}

async function responsivePhotos(browser, base) {
  // The lead photo on a phone takes a small derivative and on a desktop a
  // larger one: the srcset and sizes the theme writes really steer the
  // browser, and the image it picks is a WebP derivative, not the original.
  const picked = {};
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(base + PAGES.article, { waitUntil: "load" });
    const lead = await page.evaluate(async () => {
      const img = document.querySelector("img[fetchpriority=high]");
      if (!img) return null;
      await img.decode().catch(() => {});
      return { src: img.currentSrc, natural: img.naturalWidth, shown: img.getBoundingClientRect().width };
    });
    check(`lead photo at ${width}px`, lead && lead.natural > 0, JSON.stringify(lead));
    if (lead) {
      picked[width] = derivativeWidth(lead.src);
      check(`lead photo at ${width}px is a WebP derivative`, /\/img\/[0-9a-f]+\/harbor-ferry-\d+\.webp$/.test(lead.src), lead.src);
      check(`lead photo at ${width}px is at least as wide as shown`, lead.natural >= lead.shown, JSON.stringify(lead));
    }
    // A card on a section front never takes more than the card derivative.
    await page.goto(base + "/news/us/", { waitUntil: "load" });
    const cards = await page.evaluate(async () => {
      // Lazy images choose a candidate only once scrolled into view.
      const imgs = [...document.querySelectorAll(".card img")].filter((i) => i.getAttribute("src").includes("/img/"));
      for (const i of imgs) {
        i.scrollIntoView();
        await i.decode().catch(() => {});
      }
      return imgs.map((i) => i.currentSrc);
    });
    check(`section front cards at ${width}px show the photo`, cards.length > 0, JSON.stringify(cards));
    for (const c of cards) check(`card image at ${width}px is small`, (derivativeWidth(c) || 9999) <= 800, c);
    await context.close();
  }
  check("phone picks a small derivative", picked[375] !== null && picked[375] <= 480, JSON.stringify(picked));
  check("desktop picks a larger derivative", picked[1280] > picked[375], JSON.stringify(picked));
}

async function siteSearch(browser, base) {
  // Every request is answered from the site itself: anything bound for
  // another host is recorded and refused.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(base).origin;
  const offsite = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const headlines = async () => {
    await page.waitForFunction(() => document.querySelector(".search-status").textContent !== "", null, { timeout: 15000 }).catch(() => {});
    return page.locator(".search-results .card__headline a").allTextContents();
  };

  // The masthead form submits ?q= to the search page.
  await page.goto(base + "/", { waitUntil: "load" });
  await page.fill(".masthead__search input[name=q]", "fare");
  await Promise.all([page.waitForURL(/\/search\/\?q=fare/), page.press(".masthead__search input[name=q]", "Enter")]);
  let found = await headlines();
  check("search: a headline word finds its article", found.includes("Harbor ferry riders face first fare increase in six years"), JSON.stringify(found));

  // A word found only in a body, from a link.
  await page.goto(base + "/search/?q=scallops", { waitUntil: "load" });
  found = await headlines();
  check("search: a body-only word finds its article", found.length === 1 && found[0] === "Eelgrass meadows are quietly returning to Calder Sound", JSON.stringify(found));
  check("search: the query is in the box", (await page.inputValue("#search-q")) === "scallops");

  // Typing updates the results; a filter narrows them and the address keeps it.
  await page.fill("#search-q", "harbor");
  await page.waitForFunction(() => /harbor/.test(document.querySelector(".search-status").textContent), null, { timeout: 15000 }).catch(() => {});
  const all = await headlines();
  check("search: typing shows results", all.length > 2, JSON.stringify(all));
  await page.selectOption("select[name=section]", "Science");
  await page.waitForFunction((n) => document.querySelectorAll(".search-results .card").length < n, all.length, { timeout: 15000 }).catch(() => {});
  const sections = await page.locator(".search-results .card__meta a").allTextContents();
  check("search: the section filter narrows the results", sections.length > 0 && sections.length < all.length && sections.every((t) => t === "Science"), JSON.stringify(sections));
  check("search: the address keeps the filter", /section=Science/.test(page.url()), page.url());
  await page.selectOption("select[name=sort]", "date");
  await page.waitForFunction(() => /sort=date/.test(location.search), null, { timeout: 15000 }).catch(() => {});
  const dates = await page.locator(".search-results time").evaluateAll((ts) => ts.map((t) => t.dateTime));
  check("search: newest first when asked", dates.length > 1 && dates.every((d, i) => i === 0 || Date.parse(dates[i - 1]) >= Date.parse(d)), JSON.stringify(dates));
  // Keyboard: the results' links are reachable by Tab from the box.
  await page.focus("#search-q");
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => !!document.activeElement.closest(".search-results"));
  }
  check("search: results reachable by keyboard", reached);
  check("search: no request left the site", offsite.length === 0, offsite.join(", "));
  check("search: no script errors", errors.length === 0, errors.join("; "));
  await context.close();
}

async function main() {
  const site = copySite();
  const { child, base } = await serve(site);
  const browser = await chromium.launch({
    executablePath: chromePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const axeSource = fs.readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");
    await layoutAndAxe(browser, base, axeSource);
    await responsivePhotos(browser, base);
    await siteSearch(browser, base);
    await liveReload(browser, base, site);
    validateHtml(site);
  } finally {
    await browser.close();
    child.kill("SIGINT");
    fs.rmSync(site, { recursive: true, force: true });
  }
  for (const f of failures) console.log(`FAILED ${f}`);
  console.log(`browser: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
