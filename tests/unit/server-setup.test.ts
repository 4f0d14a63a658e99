import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { heapLimitArgs, isCompressible, memoryLine, processCount, signInQueue } from "../../server.js";

// server.js: which responses are compressed (issue 11, item 5) and how many server processes run (item 7).

/** Just enough of a request and a response for compression's filter. */
const exchange = (contentType: string) =>
  [{ headers: {} }, { getHeader: (name: string) => (name.toLowerCase() === "content-type" ? contentType : undefined) }] as unknown as Parameters<
    typeof isCompressible
  >;

describe("compression", () => {
  it("compresses HTML, JSON and CSV, but never server-sent events, which must reach the browser as they happen", () => {
    expect(isCompressible(...exchange("text/html; charset=utf-8"))).toBe(true);
    expect(isCompressible(...exchange("application/json; charset=utf-8"))).toBe(true);
    expect(isCompressible(...exchange("text/csv; charset=utf-8"))).toBe(true);
    expect(isCompressible(...exchange("text/event-stream"))).toBe(false);
    expect(isCompressible(...exchange("image/png"))).toBe(false);
  });
});

describe("WEB_CONCURRENCY", () => {
  it("is one process unless set; a number or 'auto' (one per core) otherwise", () => {
    expect(processCount(undefined, 2)).toBe(1);
    expect(processCount("", 2)).toBe(1);
    expect(processCount("auto", 2)).toBe(2);
    expect(processCount("3", 2)).toBe(3);
    expect(processCount("none", 2)).toBe(1);
    expect(processCount("0", 2)).toBe(1);
  });
});

describe("each server process's heap limit (PORTAL_HEAP_MB)", () => {
  it("is 256 MB unless set; 0 leaves V8's own limit; an operator's --max-old-space-size wins", () => {
    expect(heapLimitArgs({}, [])).toEqual(["--max-old-space-size=256"]);
    expect(heapLimitArgs({ PORTAL_HEAP_MB: "512" }, [])).toEqual(["--max-old-space-size=512"]);
    expect(heapLimitArgs({ PORTAL_HEAP_MB: "0" }, [])).toEqual([]);
    expect(heapLimitArgs({ PORTAL_HEAP_MB: "lots" }, [])).toEqual(["--max-old-space-size=256"]);
    expect(heapLimitArgs({ PORTAL_HEAP_MB: "10" }, [])).toEqual(["--max-old-space-size=256"]);
    expect(heapLimitArgs({ NODE_OPTIONS: "--max-old-space-size=1024" }, [])).toEqual([]);
    expect(heapLimitArgs({}, ["--max-old-space-size=300"])).toEqual([]);
  });
});

/** Enough of an Express response to see what signInQueue answers. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: "",
    status: (code: number) => ((res.statusCode = code), res),
    set: (name: string, value: string) => ((res.headers[name] = value), res),
    type: () => res,
    send: (body: string) => ((res.body = body), res),
  });
  return res;
}

describe("sign-ins in progress", () => {
  it("are bounded by the hashing queue's size: one more gets a 503 page with Retry-After at once, and a finished one frees its place", () => {
    let isQueueFull = false;
    const middleware = signInQueue({
      isHashingQueueFull: () => isQueueFull,
      HASHING_LIMITS: { running: 1, waiting: 1 },
      HASHING_BUSY: "Too many people are signing in. Try again in a minute.",
      HASHING_RETRY_AFTER_SECONDS: 60,
    });
    const post = () => {
      const res = fakeResponse();
      let isPassedOn = false;
      middleware({}, res, () => (isPassedOn = true));
      return { res, isPassedOn };
    };
    const [first, second, third] = [post(), post(), post()];
    expect([first.isPassedOn, second.isPassedOn, third.isPassedOn]).toEqual([true, true, false]);
    expect(third.res.statusCode).toBe(503);
    expect(third.res.headers["Retry-After"]).toBe("60");
    expect(third.res.body).toContain("Too many people are signing in. Try again in a minute.");

    first.res.emit("finish");
    first.res.emit("close");
    expect(post().isPassedOn).toBe(true);
    second.res.emit("close");
    isQueueFull = true;
    expect(post().isPassedOn).toBe(false);
  });
});

describe("memory report (kill -USR2)", () => {
  it("is one line that npm run bench:load can read: RSS and the V8 heap in bytes, with the process id", () => {
    const line = memoryLine();
    expect(line).toMatch(/^memory \{[^\n]*\}$/);
    const report = JSON.parse(line.slice("memory ".length));
    expect(report.pid).toBe(process.pid);
    expect(report.rss).toBeGreaterThan(report.heapUsed);
    expect(report.heapUsed).toBeGreaterThan(0);
  });
});
