// Browser end-to-end test against the real Rust server: `npm run build && npm run e2e`.
// Env: DIUN_SERVER_BIN (default ../target/debug/diun-server), DIUN_FIXTURES (default
// ../testdata/diun), CHROMIUM_PATH (default /usr/bin/chromium).
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { FIXTURES, FRONTEND, launchChromium, postEvent, preflight, startServer } from "./harness.mjs";

const SHOTS = join(FRONTEND, "e2e", "screenshots");
const DOCS_SHOT = resolve(FRONTEND, "..", "docs", "screenshot.png");

const problems = preflight();
if (problems.length) {
  for (const p of problems) console.error(`e2e: ${p}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ file: f, body: readFileSync(join(FIXTURES, f), "utf8"), image: JSON.parse(readFileSync(join(FIXTURES, f), "utf8")).image }));

const IMAGES = {
  postgres: "docker.io/library/postgres:16-alpine",
  nginx: "docker.io/library/nginx:1.27-alpine",
  valkey: "docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0",
  quay: "quay.io/example-org/static-tool:0.4.0",
  traefik: "docker.io/library/traefik:1.7",
  test: "docker.io/diun/testnotif:latest",
};

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** Steps build on each other, so after a failure the rest are reported as skipped. */
async function step(name, fn) {
  if (broken) {
    skipped++;
    console.log(`- skip ${name}`);
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`✓ ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failed++;
    broken = true;
    console.log(`✗ ${name}\n    ${String(err?.stack ?? err).split("\n").slice(0, 6).join("\n    ")}`);
  }
}

let server;
let browser;
const row = (page, image) => page.locator(`li[data-image="${image}"]`);
const rows = (page) => page.locator("li[data-image]");
const api = async (path) => (await fetch(`${server.base}${path}`)).json();

async function waitFor(what, fn, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

try {
  server = await startServer();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(String(err)));

  await step("the empty dashboard explains how to point DIUN at /webhook", async () => {
    await page.goto(server.base);
    const snippet = page.getByTestId("webhook-snippet");
    await snippet.waitFor();
    const text = await snippet.textContent();
    check(text.includes(`endpoint: ${server.base}/webhook`), `snippet lacks the endpoint: ${text}`);
  });

  await step("the webhook accepts the six DIUN fixtures (and refuses a wrong secret)", async () => {
    check(fixtures.length === 6, `expected 6 fixtures in ${FIXTURES}, found ${fixtures.length}`);
    check((await postEvent(server.base, fixtures[0].body, { secret: "wrong" })) === 401, "a wrong secret was accepted");
    for (const f of fixtures) {
      const status = await postEvent(server.base, f.body);
      check(status === 200, `${f.file}: HTTP ${status}`);
    }
  });

  await step("six rows appear with readable names, containers and the test label", async () => {
    await waitFor("six rows", async () => (await rows(page).count()) === 6);
    const expectations = [
      [IMAGES.postgres, ["postgres", ":16-alpine", "app-db-1", "a3f9c2b71d04", "Update"]],
      [IMAGES.nginx, ["nginx", ":1.27-alpine", "web", "shop/frontend-7c9d8f6b5-9wz4m", "New"]],
      [IMAGES.valkey, ["valkey/valkey", ":8.1", "@sha256:b3be27656a9c", "stack_valkey", "swarm-manager-1"]],
      [IMAGES.quay, ["example-org/static-tool", "quay.io", "No container", "unknown"]],
      [IMAGES.traefik, ["traefik", ":1.7", "linux/amd64"]],
      [IMAGES.test, ["diun/testnotif", "Test notification"]],
    ];
    for (const [image, texts] of expectations) {
      const text = await row(page, image).innerText();
      for (const t of texts) check(text.includes(t), `row ${image} lacks "${t}": ${JSON.stringify(text)}`);
    }
    check((await page.getByTestId("pending-count").innerText()) === "6 pending", "header count is not 6 pending");
    check((await page.title()) === "(6) DiunDashboard", `title is ${await page.title()}`);
    const link = row(page, IMAGES.postgres).getByRole("link");
    check((await link.getAttribute("href")) === "https://hub.docker.com/_/postgres", "hub link");
    check((await link.getAttribute("target")) === "_blank" && (await link.getAttribute("rel")) === "noopener noreferrer", "hub link target/rel");
  });

  await step("dismissing a row dims it at once and the server keeps it", async () => {
    await row(page, IMAGES.postgres).getByRole("button", { name: `Dismiss ${IMAGES.postgres}` }).click();
    await waitFor("optimistic dim", async () => (await row(page, IMAGES.postgres).getAttribute("data-state")) === "acknowledged", 1000);
    await waitFor("server acknowledgement", async () => (await api("/api/updates"))[IMAGES.postgres].acknowledged === true);
    check((await page.getByTestId("pending-count").innerText()) === "5 pending", "header count did not drop to 5");
    check((await page.title()) === "(5) DiunDashboard", "title did not drop to 5");
  });

  await step("history lists the image's events", async () => {
    await row(page, IMAGES.valkey).getByRole("button", { name: `History of ${IMAGES.valkey}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("li[data-event-id]").first().waitFor();
    check((await dialog.innerText()).includes("swarm-manager-1"), "history lacks the event details");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  await step("a tag is created", async () => {
    await page.getByRole("button", { name: "Tags", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Tags" });
    await dialog.getByLabel("New tag").fill("production");
    await dialog.getByRole("button", { name: "Create tag" }).click();
    await dialog.locator('li[data-tag="production"]').waitFor();
    await waitFor("tag on the server", async () => (await api("/api/tags")).some((t) => t.name === "production"));
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  });

  await step("two images are tagged from their rows", async () => {
    for (const image of [IMAGES.nginx, IMAGES.valkey]) {
      await row(page, image).getByRole("combobox", { name: `Tag for ${image}` }).selectOption({ label: "production" });
    }
    await waitFor("both assignments on the server", async () => {
      const updates = await api("/api/updates");
      return updates[IMAGES.nginx].tag?.name === "production" && updates[IMAGES.valkey].tag?.name === "production";
    });
  });

  await step("grouping by tag puts the tagged section first and untagged last", async () => {
    await page.getByRole("checkbox", { name: "Group by tag" }).check();
    await waitFor("two sections", async () => (await page.locator("section[data-group]").count()) === 2);
    const groups = await page.locator("section[data-group]").evaluateAll((els) => els.map((e) => e.getAttribute("data-group")));
    check(JSON.stringify(groups) === '["production","untagged"]', `sections: ${groups}`);
    check((await page.locator('section[data-group="production"] li[data-image]').count()) === 2, "production section should hold 2 rows");
    check(page.url().includes("group=tag"), `URL lacks group=tag: ${page.url()}`);
    const toggle = page.locator('section[data-group="untagged"]').getByRole("button", { name: /untagged/i });
    await toggle.click();
    check((await page.locator('section[data-group="untagged"] li[data-image]').count()) === 0, "collapse did not hide rows");
    await toggle.click();
  });

  await step("deleting the tag (after confirming) leaves its images untagged", async () => {
    await page.getByRole("button", { name: "Tags", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Tags" });
    await dialog.getByRole("button", { name: "Delete tag production" }).click();
    check((await dialog.innerText()).includes("2 images become untagged"), "confirmation does not say what happens");
    await dialog.getByRole("button", { name: "Confirm deleting tag production" }).click();
    await dialog.getByText("No tags yet.").waitFor();
    await page.keyboard.press("Escape");
    await waitFor("one untagged section", async () => {
      const groups = await page.locator("section[data-group]").evaluateAll((els) => els.map((e) => e.getAttribute("data-group")));
      return JSON.stringify(groups) === '["untagged"]';
    });
    check((await page.locator('section[data-group="untagged"] li[data-image]').count()) === 6, "untagged section should hold all 6");
    const updates = await api("/api/updates");
    check(updates[IMAGES.nginx].tag === null && updates[IMAGES.valkey].tag === null, "server still has the tag assigned");
  });

  await step("search (reached with the / key) narrows the list and lands in the URL", async () => {
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("/");
    check(await page.getByRole("searchbox", { name: "Search" }).evaluate((el) => el === document.activeElement), "/ did not focus the search box");
    await page.keyboard.type("valkey");
    await waitFor("one row", async () => (await rows(page).count()) === 1);
    check((await rows(page).first().getAttribute("data-image")) === IMAGES.valkey, "wrong row left");
    check(new URL(page.url()).searchParams.get("q") === "valkey", `URL: ${page.url()}`);
  });

  await step("a reload keeps the view from the URL", async () => {
    await page.reload();
    await rows(page).first().waitFor();
    check((await page.getByRole("searchbox", { name: "Search" }).inputValue()) === "valkey", "search box lost its value");
    check(await page.getByRole("checkbox", { name: "Group by tag" }).isChecked(), "grouping was lost");
    check((await rows(page).count()) === 1, "filter was lost");
  });

  await step("screenshots in light and dark themes (desktop and phone)", async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await page.getByRole("checkbox", { name: "Group by tag" }).uncheck();
    await waitFor("six rows", async () => (await rows(page).count()) === 6);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, "light.png"), fullPage: true });
    mkdirSync(resolve(DOCS_SHOT, ".."), { recursive: true });
    copyFileSync(join(SHOTS, "light.png"), DOCS_SHOT);

    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    check(await page.evaluate(() => document.documentElement.classList.contains("dark")), "dark class not set");
    await page.reload();
    await rows(page).first().waitFor();
    check(await page.evaluate(() => document.documentElement.classList.contains("dark")), "dark theme not kept across reload");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, "dark.png"), fullPage: true });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, colorScheme: "light" });
    const mobile = await phone.newPage();
    await mobile.goto(server.base);
    await rows(mobile).first().waitFor();
    const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `the phone layout scrolls sideways (${width}px)`);
    await mobile.screenshot({ path: join(SHOTS, "phone-light.png"), fullPage: true });
    await mobile.emulateMedia({ colorScheme: "dark" });
    await mobile.reload();
    await rows(mobile).first().waitFor();
    check(await mobile.evaluate(() => document.documentElement.classList.contains("dark")), "prefers-color-scheme: dark not followed");
    await mobile.screenshot({ path: join(SHOTS, "phone-dark.png"), fullPage: true });
    await phone.close();
  });

  await step("stopping the server shows the offline banner and keeps the rows", async () => {
    await server.stop();
    const banner = page.getByTestId("offline-banner");
    await banner.waitFor({ timeout: 12_000 });
    check((await banner.getAttribute("role")) === "alert", "banner is not role=alert");
    check((await rows(page).count()) === 6, "rows vanished while offline");
    await page.screenshot({ path: join(SHOTS, "offline-dark.png") });
  });

  await step("restarting the server on the same port and database clears the banner", async () => {
    server = await startServer({ port: server.port, dbDir: server.dbDir });
    await page.getByTestId("offline-banner").waitFor({ state: "detached", timeout: 12_000 });
    check((await rows(page).count()) === 6, "rows missing after recovery");
    check((await row(page, IMAGES.postgres).getAttribute("data-state")) === "acknowledged", "dismissal lost across restart");
  });

  await step("no uncaught errors in the page", async () => {
    check(pageErrors.length === 0, pageErrors.join("\n"));
  });
} catch (err) {
  failed++;
  console.log(`✗ harness: ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (failed && server?.log.length) console.log(`--- server log ---\n${server.log.join("").slice(-4000)}`);
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
