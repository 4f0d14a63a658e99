import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { loader as healthzLoader } from "~/routes/healthz";

const databasePath = process.env.DATABASE_PATH;
afterEach(() => {
  process.env.DATABASE_PATH = databasePath;
});

describe("health check", () => {
  it("GET /healthz answers 200 ok when the database is reachable, and is never cached", async () => {
    const response = await healthzLoader();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers 503 when the database cannot be opened", async () => {
    process.env.DATABASE_PATH = os.tmpdir(); // a directory, which SQLite cannot open as a database
    const response = await healthzLoader();
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("database unavailable");
  });
});
