// Shared by e2e.mjs and bench.mjs: starts the real diun-server binary on a free port with its own
// database, and launches the system Chromium through playwright-core (no browser download).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(FRONTEND, "dist");
export const SERVER_BIN = resolve(FRONTEND, process.env.DIUN_SERVER_BIN ?? "../target/debug/diun-server");
export const FIXTURES = resolve(FRONTEND, process.env.DIUN_FIXTURES ?? "../testdata/diun");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SECRET = "e2e-secret";
export const CHROMIUM_INSTALL = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation";

/** Everything the run needs, checked up front so a missing piece fails with one clear line. */
export function preflight() {
  const problems = [];
  if (!existsSync(CHROMIUM)) problems.push(`Chromium is missing at ${CHROMIUM}. Install it with: ${CHROMIUM_INSTALL}`);
  if (!existsSync(SERVER_BIN)) problems.push(`The server binary is missing at ${SERVER_BIN} (build it with \`cargo build -p diun-server\` or set DIUN_SERVER_BIN).`);
  if (!existsSync(join(DIST, "index.html"))) problems.push(`${DIST} has no index.html: run \`npm run build\` first.`);
  return problems;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the server and waits for GET /healthz to answer 200. Pass the same `port` and `dbDir`
 * again to restart it on the same database.
 */
export async function startServer({ port, dbDir = mkdtempSync(join(tmpdir(), "diun-e2e-")), secret = SECRET } = {}) {
  port ??= await freePort();
  const log = [];
  const child = spawn(SERVER_BIN, [], {
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDR: "127.0.0.1",
      DB_PATH: join(dbDir, "diun.db"),
      FRONTEND_DIR: DIST,
      WEBHOOK_SECRET: secret,
      RUST_LOG: process.env.RUST_LOG ?? "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
  const base = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    const gone = await Promise.race([exited, sleep(0).then(() => null)]);
    if (gone) throw new Error(`diun-server exited during start-up (${JSON.stringify(gone)}):\n${log.join("")}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`diun-server did not answer /healthz within 30 s:\n${log.join("")}`);
    }
    await sleep(100);
  }

  return {
    base,
    port,
    dbDir,
    log,
    /** SIGTERM, then wait for the process to end (SIGKILL after 10 s). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** POSTs one DIUN body to /webhook the way DIUN does (no Content-Type unless configured). */
export async function postEvent(base, body, { secret = SECRET, method = "POST" } = {}) {
  const res = await fetch(`${base}/webhook`, {
    method,
    headers: secret ? { Authorization: secret } : {},
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}
