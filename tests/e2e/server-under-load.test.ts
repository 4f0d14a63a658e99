import { spawn } from "node:child_process";
import http from "node:http";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { serverUrl } from "./server";

// Issue 11: the real production server (server.js), spoken to with node:http so
// the bytes on the wire can be counted and many requests sent at once.
// - Item 5: HTML, JSON and CSV went out uncompressed (683 KB for the public results at 10× scale).
// - Item 6: 50 simultaneous sign-ins held /healthz for up to 13.8 s, the scrypt
//   hashes filling libuv's thread pool that static files and everything else share.

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, before any decompression. */
  raw: Buffer;
}

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, serverUrl()), { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const text = (reply: Reply) => (reply.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(reply.raw) : reply.raw).toString("utf8");

describe("responses are compressed", () => {
  it("HTML, JSON and CSV come gzipped to a client that asks, and much smaller; a client that does not ask gets them plain", async () => {
    const funds = await send("/funds", { headers: { "Accept-Encoding": "gzip" } });
    const plainFunds = await send("/funds");
    expect(funds.status).toBe(200);
    expect(funds.headers["content-encoding"]).toBe("gzip");
    expect(plainFunds.headers["content-encoding"]).toBeUndefined();
    expect(text(funds)).toContain("<h1");
    expect(funds.raw.length).toBeLessThan(plainFunds.raw.length / 2);

    // The 360Giving open data of last year's published round (the demo's accepted awards).
    const jsonPath = /href="(\/funds\/[^"]+\/360giving\.json)"/.exec(text(funds))?.[1];
    expect(jsonPath).toBeDefined();
    for (const path of [jsonPath!, jsonPath!.replace(/\.json$/, ".csv")]) {
      const zipped = await send(path, { headers: { "Accept-Encoding": "gzip" } });
      const plain = await send(path);
      expect(zipped.status).toBe(200);
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.raw.length).toBeLessThan(plain.raw.length);
      expect(text(zipped).length).toBe(plain.raw.toString("utf8").length);
    }
  });
});

describe("a burst of sign-ins does not hold up the rest of the site", () => {
  it("50 sign-ins at once: /healthz answers within 200 ms throughout, and those beyond the queue are told plainly to try again in a minute", async () => {
    // One sign-in form, as a browser would have it: the CSRF cookie and its token.
    const page = await send("/login");
    const csrfCookie = (page.headers["set-cookie"] ?? []).find((c) => /^(__Host-)?_*csrf=/.test(c))!.split(";")[0]!;
    const token = /name="csrf" value="([^"]+)"/.exec(page.raw.toString("utf8"))![1]!;
    const accounts = DEMO_ACCOUNTS.filter((a) => a.role !== "admin");
    const signIn = (account: (typeof accounts)[number]) =>
      send("/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: serverUrl(), Cookie: csrfCookie },
        body: new URLSearchParams({ csrf: token, email: account.email, password: account.password }).toString(),
      });
    // One sign-in first, as a server that has been up a while has had: the first compiles the sign-in code.
    expect((await signIn(accounts[0]!)).status).toBe(302);

    // /healthz is timed from a process of its own, so the time this process spends sending the burst is not counted.
    const probe = spawn(
      process.execPath,
      [
        "-e",
        `const url = process.argv[1];
        const tick = async () => {
          const started = performance.now();
          const res = await fetch(url);
          await res.text();
          console.log(JSON.stringify({ status: res.status, ms: performance.now() - started }));
          setTimeout(tick, 20);
        };
        // The first fetch loads fetch itself in this new process: not timed.
        fetch(url).then((res) => res.text()).then(tick);`,
        `${serverUrl()}/healthz`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let probeOutput = "";
    probe.stdout.on("data", (chunk) => (probeOutput += chunk));
    await new Promise((r) => setTimeout(r, 1_000));

    const signIns = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(accounts[i % accounts.length]!)));
    await new Promise((r) => setTimeout(r, 200));
    probe.kill();
    const samples = probeOutput
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { status: number; ms: number });
    expect(samples.every((sample) => sample.status === 200)).toBe(true);
    const healthTimes = samples.map((sample) => sample.ms);

    const statuses = signIns.map((r) => r.status);
    const signedIn = signIns.filter((r) => r.status === 302);
    const refused = signIns.filter((r) => r.status === 503);
    expect(signedIn.length + refused.length).toBe(50);
    // At least the one hashing and the four waiting when the burst arrived (app/auth/password.server.ts HASHING_LIMITS).
    expect(signedIn.length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) {
      expect(reply.headers["retry-after"]).toBe("60");
      expect(text(reply)).toContain("Too many people are signing in. Try again in a minute.");
    }
    expect(healthTimes.length, `statuses ${statuses.join(",")}`).toBeGreaterThan(5);
    expect(Math.max(...healthTimes), `/healthz times: ${healthTimes.map((t) => Math.round(t)).join(", ")} ms`).toBeLessThan(200);
    // Ten real scrypt hashes, two at a time: about 5 s on a quiet 2-core machine, much longer on a busy one.
  }, 180_000);
});
