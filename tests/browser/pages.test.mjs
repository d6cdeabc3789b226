// The daemon's pages as a person sees them, in Debian's headless Chromium (playwright-core
// drives it; no browser download). Starts the real binary on a copy of the offline demo
// (config/demo.toml), then checks the rendered DOM against the daemon's own JSON Feed, the
// console, a small accessibility smoke test and, for the feeds, real validators
// (validate_feeds.py: feedparser, jing with RFC 4287's schema, a JSON Feed 1.1 schema).
// Screenshots go to $REELFEED_SCREENSHOTS for a developer to look at.
//
//   REELFEED_BINARY=build/reelfeed REELFEED_SOURCE_DIR=. node --test tests/browser/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const binary = process.env.REELFEED_BINARY;
const source = process.env.REELFEED_SOURCE_DIR;
const shots = process.env.REELFEED_SCREENSHOTS || path.join(os.tmpdir(), "reelfeed-screenshots");
const chromiumPath = process.env.REELFEED_CHROMIUM || "/usr/bin/chromium";

let work;
let daemon;
let log = "";
let base;
let reviewBase;
let browser;
const hub = "http://127.0.0.1:9/hub";

function waitFor(probe, what, ms = 40000) {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      let value;
      try {
        value = await probe();
      } catch {
        value = undefined;
      }
      if (value) {
        resolve(value);
      } else if (Date.now() > end || daemon.exitCode !== null) {
        reject(new Error(`timed out waiting for ${what}; daemon log:\n${log}`));
      } else {
        setTimeout(tick, 200);
      }
    };
    tick();
  });
}

before(async () => {
  assert.ok(binary && source, "set REELFEED_BINARY and REELFEED_SOURCE_DIR");
  work = fs.mkdtempSync(path.join(os.tmpdir(), "reelfeed-browser-"));
  fs.cpSync(path.join(source, "config/samples"), path.join(work, "samples"), { recursive: true });
  fs.cpSync(path.join(source, "config/topics"), path.join(work, "topics"), { recursive: true });
  const demo = fs
    .readFileSync(path.join(source, "config/demo.toml"), "utf8")
    .replace('listen = "127.0.0.1:8080"', 'listen = "127.0.0.1:0"')
    .replace('review_listen = "127.0.0.1:8081"', 'review_listen = "127.0.0.1:0"')
    // A hub, so that the validators below see the feeds' hub links; nothing listens on
    // the discard port, so the pings fail (and are retried) without leaving this machine.
    .replace(/^\[output\]$/m, `[output]\nwebsub_hub = "${hub}"`);
  assert.equal((demo.match(/127\.0\.0\.1:0"/g) || []).length, 2,
    "the demo config's listen lines moved: update this test");
  assert.ok(demo.includes(`websub_hub = "${hub}"`), "the demo config has no [output] table");
  fs.writeFileSync(path.join(work, "demo.toml"), demo);
  fs.mkdirSync(shots, { recursive: true });

  daemon = spawn(binary, ["run", "-c", path.join(work, "demo.toml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  daemon.stderr.on("data", (d) => (log += d));
  const port = (marker) => {
    const m = log.match(new RegExp(`info ${marker} addr=127\\.0\\.0\\.1:(\\d+)`));
    return m && m[1];
  };
  base = `http://127.0.0.1:${await waitFor(() => port("listening"), "the listener")}`;
  reviewBase = `http://127.0.0.1:${await waitFor(() => port("listening_review"), "the review listener")}`;
  // Every sample polled and published: the home page lists as many stories as the feed.
  await waitFor(async () => {
    const feed = await (await fetch(`${base}/feed.json`)).json();
    const polled = (log.match(/info fetched source=/g) || []).length >= 5;
    const lastFetch = log.lastIndexOf("info fetched source=");
    return polled && log.indexOf("info published", lastFetch) > 0 && feed.items.length > 0;
  }, "the demo's first publish");

  browser = await chromium.launch({
    executablePath: chromiumPath,
    // What this machine needs: no sandbox as root, no GPU, and no background traffic to
    // Google's hosts (the network is closed).
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  if (daemon && daemon.exitCode === null) {
    daemon.kill("SIGTERM");
    await new Promise((r) => daemon.once("exit", r));
  }
  if (work) {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

/** Opens `url` in a fresh context; collects console errors, page errors, failed requests. */
async function open(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // The demo's stories link to .example hosts; only this server's own requests count.
    if (r.url().startsWith(base) || r.url().startsWith(reviewBase)) {
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    }
  });
  const response = await page.goto(url, { waitUntil: "load" });
  return { context, page, problems, response };
}

function luminance([r, g, b]) {
  const c = [r, g, b].map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The accessibility smoke check: a language, one h1 and no skipped heading level, links
 * and images named, and the default colours of every kind of text (body, muted, links,
 * the current topic) at WCAG AA contrast (4.5:1) against the page's background.
 */
async function accessibility(page, label) {
  const facts = await page.evaluate(() => {
    const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
    const bg = rgb(getComputedStyle(document.body).backgroundColor);
    const colours = [];
    for (const sel of ["body", "a", ".meta", ".sub", ".site", "nav a[aria-current]", ".why", "td"]) {
      const el = document.querySelector(sel);
      if (el) {
        colours.push({ sel, fg: rgb(getComputedStyle(el).color) });
      }
    }
    const headings = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => Number(h.tagName[1]));
    const unnamedLinks = [...document.querySelectorAll("a")]
      .filter((a) => !(a.textContent.trim() || a.getAttribute("aria-label")))
      .map((a) => a.outerHTML);
    const unnamedImages = [...document.querySelectorAll("img")]
      .filter((i) => !i.hasAttribute("alt"))
      .map((i) => i.outerHTML);
    return {
      lang: document.documentElement.lang,
      title: document.title,
      bg,
      colours,
      headings,
      unnamedLinks,
      unnamedImages,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
  assert.ok(facts.lang, `${label}: <html lang> is set`);
  assert.ok(facts.title.trim(), `${label}: the page has a title`);
  assert.equal(facts.headings.filter((h) => h === 1).length, 1, `${label}: one h1`);
  assert.equal(facts.headings[0], 1, `${label}: the first heading is the h1`);
  for (let i = 1; i < facts.headings.length; ++i) {
    assert.ok(facts.headings[i] <= facts.headings[i - 1] + 1,
      `${label}: heading levels ${facts.headings.join(",")} skip one`);
  }
  assert.deepEqual(facts.unnamedLinks, [], `${label}: every link has text`);
  assert.deepEqual(facts.unnamedImages, [], `${label}: every image has alt text`);
  for (const { sel, fg } of facts.colours) {
    const ratio = contrast(fg, facts.bg);
    assert.ok(ratio >= 4.5, `${label}: ${sel} rgb(${fg}) on rgb(${facts.bg}) is ${ratio.toFixed(2)}:1`);
  }
  assert.ok(facts.overflow <= 0, `${label}: the page scrolls sideways by ${facts.overflow}px`);
  return facts;
}

test("the home page shows the feed's stories, outlets and links, readable and accessible", async () => {
  const feed = await (await fetch(`${base}/feed.json`)).json();
  const { context, page, problems, response } = await open(`${base}/`, {
    viewport: { width: 1280, height: 900 },
    timezoneId: "UTC",
  });
  assert.equal(response.status(), 200);
  const articles = await page.$$eval("main article", (list) =>
    list.map((a) => ({
      headline: a.querySelector("h2")?.textContent.trim(),
      href: a.querySelector("h2 a")?.getAttribute("href"),
      time: a.querySelector("time")?.getAttribute("datetime"),
      outlets: [...a.querySelectorAll(".outlets li")].map((li) => ({
        text: li.textContent.trim(),
        href: li.querySelector("a")?.getAttribute("href"),
      })),
      concepts: [...a.querySelectorAll(".concepts span")].map((s) => s.textContent),
    })),
  );
  // The page is the feed, as a person reads it: the same stories, in the same order.
  const firstPage = feed.items.slice(0, 25);
  assert.equal(articles.length, firstPage.length);
  firstPage.forEach((item, i) => {
    const a = articles[i];
    assert.equal(a.headline, item.title, `story ${i}'s headline`);
    assert.equal(a.href, item.url, `story ${i} links to its founding outlet`);
    assert.equal(a.time, item.date_published, `story ${i}'s time`);
    const outlets = item._reelfeed.outlets;
    const sources = [...new Set(outlets.map((o) => o.source))];
    if (sources.length > 1) {
      assert.equal(a.outlets.length, sources.length, `story ${i} lists every outlet`);
      for (const source of sources) {
        const o = outlets.find((x) => x.source === source);
        assert.ok(
          a.outlets.some((x) => x.text.startsWith(`${source}: `) && x.href === o.link),
          `story ${i}: ${source} with its own link`,
        );
      }
    }
    assert.deepEqual(a.concepts, item._reelfeed.concepts ?? [], `story ${i}'s concepts`);
  });
  assert.ok(articles.some((a) => a.outlets.length > 1), "the demo folds a story from two outlets");
  // The feeds stay linked and autodiscoverable, this topic's first.
  const alternates = await page.$$eval('link[rel="alternate"]', (l) => l.map((x) => x.getAttribute("href")));
  assert.deepEqual(alternates.slice(0, 3), ["/feed.atom", "/feed.rss", "/feed.json"]);
  for (const href of ["/feed.atom", "/feed.rss", "/feed.json"]) {
    assert.equal(await page.locator(`footer a[href="${href}"]`).count(), 1, `${href} is linked`);
  }
  await accessibility(page, "home, desktop, light");
  await page.screenshot({ path: path.join(shots, "home-desktop-light.png"), fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test("times read in the reader's zone with script, in UTC without", async () => {
  const feed = await (await fetch(`${base}/feed.json`)).json();
  const when = new Date(feed.items[0].date_published);
  const tokyo = await open(`${base}/`, { timezoneId: "Asia/Tokyo", locale: "en-GB" });
  const shown = await tokyo.page.locator("main time").first().textContent();
  const expected = when.toLocaleString("en-GB", {
    timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short",
  });
  assert.equal(shown, expected);
  assert.match(await tokyo.page.locator("main time").first().getAttribute("title"), / UTC$/);
  assert.deepEqual(tokyo.problems, []);
  await tokyo.context.close();

  const plain = await open(`${base}/`, { javaScriptEnabled: false, timezoneId: "Asia/Tokyo" });
  assert.match(await plain.page.locator("main time").first().textContent(),
    /^\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/);
  await plain.context.close();
});

test("on a phone, in light and dark mode", async () => {
  for (const scheme of ["light", "dark"]) {
    const { context, page, problems } = await open(`${base}/`, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: scheme,
    });
    const facts = await accessibility(page, `home, phone, ${scheme}`);
    const dark = luminance(facts.bg) < 0.2;
    assert.equal(dark, scheme === "dark", `the ${scheme} scheme's background rgb(${facts.bg})`);
    await page.screenshot({ path: path.join(shots, `home-phone-${scheme}.png`), fullPage: false });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("every topic has its page, and the pages are paged", async () => {
  const home = await (await fetch(`${base}/`)).text();
  const topics = [...home.matchAll(/<nav aria-label="Topics">(.*?)<\/nav>/gs)].flatMap((m) =>
    [...m[1].matchAll(/href="([^"]+)"/g)].map((h) => h[1]));
  for (const href of topics.length ? topics : ["/topics/ai-hollywood/"]) {
    const { context, page, problems, response } = await open(`${base}${href}`);
    assert.equal(response.status(), 200, href);
    await accessibility(page, href);
    assert.deepEqual(problems, [], href);
    await context.close();
  }
  const topicPage = await open(`${base}/topics/ai-hollywood/`);
  assert.ok(await topicPage.page.locator("main article").count() > 0);
  // An Older link, where there is one (a topic of more than 25 stories; the demo has
  // fewer, and the paging itself is unit-tested), leads to the next stories.
  const older = topicPage.page.locator('nav.pager a', { hasText: "Older" });
  const shown = await topicPage.page.locator("main article").count();
  assert.ok((await older.count()) === 1 || shown <= 25, `${shown} stories on one page`);
  if (await older.count()) {
    const first = await topicPage.page.locator("main article").last().getAttribute("id");
    await older.click();
    assert.match(topicPage.page.url(), /\?before=\d+$/);
    assert.notEqual(await topicPage.page.locator("main article").first().getAttribute("id"), first);
  }
  await topicPage.context.close();
});

test("the editor's view: only on the review listener, with scores and the terms that fired", async () => {
  assert.equal((await fetch(`${base}/topics/ai-hollywood/review`)).status, 404);
  await waitFor(async () => (await fetch(`${reviewBase}/topics/ai-hollywood/review`)).ok, "the review page");
  const { context, page, problems, response } = await open(`${reviewBase}/topics/ai-hollywood/review`, {
    viewport: { width: 1280, height: 900 },
  });
  assert.equal(response.status(), 200);
  assert.equal(await page.locator("h1").textContent(), "Review: AI in Hollywood");
  const near = page.locator("section[aria-labelledby=near] article");
  assert.ok(await near.count() > 0, "the demo has stories near the threshold");
  const first = near.first();
  assert.match(await first.locator(".meta").textContent(), /score \d+\.\d\d [≥<] threshold 3\.00/);
  assert.ok(await first.locator("table tbody tr").count() > 0, "the terms that fired");
  // The demo's "'The Engineer' Review" is a film review: the rule's !fiction-review drops it.
  const dropped = page.locator("section[aria-labelledby=dropped] article");
  assert.ok(await dropped.count() > 0, "the demo has stories a negative rule dropped");
  const why = await dropped.allTextContents();
  assert.ok(why.some((t) => t.includes("Dropped by: fiction-review (excluded by the rule)")),
    "a dropped story names the rule that dropped it");
  assert.ok(why.every((t) => /Dropped by: \S/.test(t)), "every dropped story names its rule");
  await accessibility(page, "review");
  await page.screenshot({ path: path.join(shots, "review-desktop-light.png"), fullPage: false });
  await page.locator("#dropped").evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: path.join(shots, "review-dropped-desktop-light.png"), fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test("the feeds still validate, with their hub links", async () => {
  const atom = await (await fetch(`${base}/feed.atom`)).text();
  assert.ok(atom.includes(`<link rel="hub" href="${hub}"`), "Atom names the hub");
  const rss = await (await fetch(`${base}/feed.rss`)).text();
  assert.ok(rss.includes(`<atom:link href="${hub}" rel="hub"`), "RSS names the hub");
  const json = await (await fetch(`${base}/feed.json`)).json();
  assert.deepEqual(json.hubs, [{ type: "WebSub", url: hub }]);
  const urls = ["/feed.atom", "/feed.rss", "/feed.json", "/topics/ai-hollywood.atom"].map((p) => base + p);
  const out = execFileSync("/usr/bin/python3", [path.join(source, "tests/browser/validate_feeds.py"), ...urls], {
    encoding: "utf8",
  });
  for (const url of urls) {
    assert.match(out, new RegExp(`ok ${url.replace(/[.]/g, "\\.")}`));
  }
});
