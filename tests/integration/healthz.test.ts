import os from "node:os";
import { describe, expect, it } from "vitest";
import { loader as healthzLoader } from "~/routes/healthz";
import { getDb } from "~/utils/db.server";
import { onPostgres } from "../support/database";

describe("health check", () => {
  it("GET /healthz answers 200 ok when the database is reachable, and is never cached", async () => {
    const response = await healthzLoader();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers 503 when the database cannot be opened", async () => {
    getDb();
    const working = globalThis.__portalDb;
    const env = { path: process.env.DATABASE_PATH, url: process.env.DATABASE_URL };
    if (onPostgres)
      process.env.DATABASE_URL = "postgres://portal@127.0.0.1:1/portal"; // nothing listens on port 1
    else process.env.DATABASE_PATH = os.tmpdir(); // a directory, which SQLite cannot open as a database
    try {
      const response = await healthzLoader();
      expect(response.status).toBe(503);
      expect(await response.text()).toBe("database unavailable");
    } finally {
      process.env.DATABASE_PATH = env.path;
      if (env.url) process.env.DATABASE_URL = env.url;
      if (globalThis.__portalDb !== working) await globalThis.__portalDb?.db.destroy();
      globalThis.__portalDb = working;
    }
  });
});
