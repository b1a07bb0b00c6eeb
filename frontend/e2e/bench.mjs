// Benchmark (not a test): loads 5,000 updates into the real server, then measures in Chromium the
// time to the first rendered row and the time to apply a search. Prints JSON. `npm run build && npm run bench`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, launchChromium, postEvent, preflight, startServer } from "./harness.mjs";

const COUNT = Number(process.env.BENCH_ROWS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORKERS = 16;

const problems = preflight();
if (problems.length) {
  for (const p of problems) console.error(`bench: ${p}`);
  process.exit(1);
}

const template = JSON.parse(readFileSync(join(FIXTURES, "docker-update.json"), "utf8"));
const PROVIDERS = [
  ["docker", (i) => ({ ctn_names: `app-${i}-1`, ctn_state: "running" })],
  ["swarm", (i) => ({ ctn_name: `stack_svc${i}`, svc_id: `svc${i}` })],
  ["kubernetes", (i) => ({ ctn_name: `c${i}`, pod_name: `pod-${i}-abc12`, pod_namespace: `ns${i % 9}` })],
  ["nomad", (i) => ({ task_name: `task${i}`, job_name: `job${i % 30}` })],
  ["containerd", (i) => ({ ctn_name: `ctrd-${i}` })],
  ["file", () => null],
];

function event(i) {
  const [provider, meta] = PROVIDERS[i % PROVIDERS.length];
  const image =
    i % 3 === 0
      ? `docker.io/library/image${i}:1.${i % 10}`
      : i % 3 === 1
        ? `registry-${i % 7}.example.internal:5000/team-${i % 40}/service-${i}:${1 + (i % 5)}.${i % 10}.0`
        : `ghcr.io/org-${i % 25}/tool-${i}:v${i % 4}@sha256:${i.toString(16).padStart(64, "0")}`;
  return {
    ...template,
    hostname: `diun-host-${i % 12}`,
    status: i % 4 === 0 ? "new" : "update",
    provider,
    image,
    digest: `sha256:${(i * 7919).toString(16).padStart(64, "a")}`,
    created: i % 50 === 0 ? null : `2025-0${1 + (i % 9)}-1${i % 10}T10:0${i % 10}:00.${i % 1000}Z`,
    metadata: meta(i),
  };
}

// A name that matches exactly one image: the last registry-style one (no longer index has it as a prefix).
const NARROW = `service-${COUNT - 1 - ((COUNT - 1 - 1 + 3) % 3)}`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

const server = await startServer();
let browser;
try {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < COUNT) {
        const i = next++;
        const status = await postEvent(server.base, event(i));
        if (status !== 200) throw new Error(`webhook answered ${status} for event ${i}`);
      }
    }),
  );
  const ingestMs = performance.now() - t0;

  const t1 = performance.now();
  const body = await (await fetch(`${server.base}/api/updates`)).text();
  const apiMs = performance.now() - t1;
  const served = Object.keys(JSON.parse(body)).length;
  if (served !== COUNT) throw new Error(`the server lists ${served} updates, expected ${COUNT}`);

  browser = await launchChromium();
  const firstRow = [];
  const firstFrame = [];
  const apiDone = [];
  const narrow = [];
  const broad = [];
  const clear = [];
  let rendered = 0;

  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // Marks when the first row enters the DOM, and the next animation frame after it.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector("li[data-image]")) return;
        observer.disconnect();
        window.__firstRow = performance.now();
        requestAnimationFrame(() => (window.__firstFrame = performance.now()));
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.base);
    await page.waitForFunction(() => window.__firstFrame !== undefined, null, { timeout: 60_000 });
    const marks = await page.evaluate(() => ({
      row: window.__firstRow,
      frame: window.__firstFrame,
      api: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/api/updates"))?.responseEnd ?? NaN,
    }));
    firstRow.push(marks.row);
    firstFrame.push(marks.frame);
    apiDone.push(marks.api);
    rendered = await page.locator("li[data-image]").count();

    // Types into the search box the way React sees it, then waits for the list to settle and paint.
    const search = (query, settled) =>
      page.evaluate(
        async ({ query, settled }) => {
          const input = document.querySelector('input[type="search"]');
          const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
          const done = new Function("rows", "count", `return (${settled})(rows, count)`);
          const start = performance.now();
          setValue.call(input, query);
          input.dispatchEvent(new Event("input", { bubbles: true }));
          await new Promise((resolve, reject) => {
            const tick = () => {
              if (performance.now() - start > 20_000) return reject(new Error(`search "${query}" did not settle`));
              const rows = [...document.querySelectorAll("li[data-image]")].map((li) => li.getAttribute("data-image"));
              const count = document.querySelector('[data-testid="result-count"]')?.textContent ?? "";
              if (done(rows, count)) resolve();
              else requestAnimationFrame(tick);
            };
            tick();
          });
          await new Promise((r) => requestAnimationFrame(() => r()));
          return performance.now() - start;
        },
        { query, settled },
      );

    narrow.push(await search(NARROW, `(rows, count) => rows.length === 1 && rows[0].includes("${NARROW}:") && count.includes("1 of")`));
    clear.push(await search("", `(rows, count) => rows.length === ${Math.min(50, COUNT)} && !count.includes("match")`));
    broad.push(await search("team-1", "(rows, count) => rows.length > 0 && rows.every((r) => r.includes('team-1')) && count.includes('match')"));
    await context.close();
  }

  const version = browser.version();
  console.log(
    JSON.stringify(
      {
        rows: COUNT,
        chromium: version,
        ingest: { ms: Math.round(ingestMs), perSecond: Math.round(COUNT / (ingestMs / 1000)), concurrency: WORKERS },
        api: { listUpdatesMs: round(apiMs), bytes: body.length },
        renderedRowsInitially: rendered,
        timeToFirstRowMs: { median: round(median(firstRow)), runs: firstRow.map(round), note: "navigation start to the first row in the DOM" },
        updatesResponseEndMs: { median: round(median(apiDone)), runs: apiDone.map(round), note: "when the first GET /api/updates finished (server + transfer)" },
        clientRenderMs: { median: round(median(firstRow.map((r, i) => r - apiDone[i]))), note: "first row minus that: JSON parse, row model, React render" },
        timeToFirstRowFrameMs: { median: round(median(firstFrame)), runs: firstFrame.map(round), note: "the animation frame after that" },
        searchMs: {
          narrow: { query: NARROW, matches: 1, median: round(median(narrow)), runs: narrow.map(round) },
          broad: { query: "team-1", median: round(median(broad)), runs: broad.map(round) },
          clear: { query: "", median: round(median(clear)), runs: clear.map(round) },
          note: "input event to the settled list, plus one animation frame",
        },
      },
      null,
      2,
    ),
  );
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
}
