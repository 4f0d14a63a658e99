import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import SQLite from "better-sqlite3";

// Starting and stopping the production server for the browser tests. The global
// setup (global-setup.ts) uses it once to write the seeded demo database; every
// test file then gets its own server on its own copy of that database
// (setup-server.ts), so no file depends on what another file did or on the order.

export const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..", "..");

/** Where setup-server.ts leaves the address of the test file's own server. */
export const BASE_URL_VARIABLE = "PORTAL_E2E_BASE_URL";

/** Where setup-server.ts leaves the path of the test file's server's database, for reading what it emailed. */
export const DATABASE_VARIABLE = "PORTAL_E2E_DATABASE";

/** The emails the test file's own server has queued to this address, oldest first (its outbox table). */
export function emailsSentTo(address: string): { subject: string; body_text: string }[] {
  const file = process.env[DATABASE_VARIABLE];
  if (!file) throw new Error("No e2e server database for this file: tests/e2e/setup-server.ts sets it.");
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("select subject, body_text from email_outbox where to_address = ? order by created_at, id").all(address) as {
      subject: string;
      body_text: string;
    }[];
  } finally {
    db.close();
  }
}

/** The address of this test file's own server, started by setup-server.ts before the file is loaded. */
export function serverUrl(): string {
  const baseUrl = process.env[BASE_URL_VARIABLE];
  if (!baseUrl) throw new Error("No e2e server for this file: tests/e2e/setup-server.ts (setupFiles in tests/e2e/vitest.config.ts) starts one.");
  return baseUrl;
}

export interface RunningServer {
  baseUrl: string;
  databasePath: string;
  /** Milliseconds from spawning the process to /healthz answering 200. */
  startupMs: number;
  /** The server process's id (tests/e2e/body-limits.test.ts reads its memory from /proc). */
  pid: number;
  log: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The server did not answer /healthz with 200 within ${timeoutMs} ms:\n${output()}`);
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  }
}

/**
 * Starts the built app (server.js) in production mode on a free port, with its
 * database and uploads in a new temporary folder. With `fromDatabase`, the
 * database starts as a copy of that file; without, the server creates and seeds
 * a new one on first start.
 */
export async function startServer(
  options: {
    fromDatabase?: string;
    /** More environment for the server, e.g. TRUST_PROXY. */
    env?: Record<string, string>;
    /** How long to wait for /healthz: a first start writes the demo data (a production password hash per demo account) before it listens. */
    readyWithinMs?: number;
  } = {},
): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-"));
  const databasePath = path.join(dir, "portal.db");
  if (options.fromDatabase) fs.copyFileSync(options.fromDatabase, databasePath);
  const port = await freePort();
  // localhost, not 127.0.0.1: production cookies are Secure, and browsers treat only localhost as secure over http.
  const baseUrl = `http://localhost:${port}`;
  let log = "";
  const started = Date.now();
  const child = spawn(process.execPath, ["server.js"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_PATH: databasePath,
      UPLOADS_DIR: path.join(dir, "uploads"),
      APP_URL: baseUrl,
      SMTP_URL: "",
      // Every server on a copy of the seeded database needs the key its two-factor secrets were sealed with (a key file would stay behind).
      TWO_FACTOR_KEY: "e2e0".repeat(16),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  // If the test process dies without its teardown, take the server with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await stopProcess(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealthy(baseUrl, child, () => log, options.readyWithinMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, databasePath, startupMs: Date.now() - started, pid: child.pid!, log: () => log, stop };
}
