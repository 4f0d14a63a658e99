import { describe, expect, it } from "vitest";
import { isCompressible, processCount } from "../../server.js";

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
