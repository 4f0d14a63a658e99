import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bodyLimitFor, MAX_FILE_BYTES, MAX_FORM_BYTES } from "../../server.js";

const ROUTES = fileURLToPath(new URL("../../app/routes", import.meta.url));
const MULTIPART = "multipart/form-data; boundary=x";

/** A URL the route file answers: $params become "p1", "p2"…, "_index" goes, "[.]" is a dot. */
function sampleUrl(file: string): string {
  let n = 0;
  const segments = file
    .replace(/\.tsx?$/, "")
    .replace(/\[\.\]/g, "~dot~")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s.startsWith("$") ? `p${++n}` : s.replace(/_$/, "")).replaceAll("~dot~", "."));
  return `/${segments.join("/")}`;
}

const routeFiles = fs.readdirSync(ROUTES).filter((f) => /\.tsx?$/.test(f));
const uploadRoutes = routeFiles.filter((f) => fs.readFileSync(path.join(ROUTES, f), "utf8").includes("readVerifiedMultipart("));

describe("body limits, set in server.js before Remix reads a body", () => {
  it("a form is 1 MB whatever the page, and a file 10 MB", () => {
    expect(MAX_FORM_BYTES).toBe(1024 * 1024);
    expect(MAX_FILE_BYTES).toBe(10 * 1024 * 1024);
    for (const file of routeFiles) expect(bodyLimitFor(sampleUrl(file), "application/x-www-form-urlencoded"), file).toBe(MAX_FORM_BYTES);
    expect(bodyLimitFor("/login", undefined)).toBe(MAX_FORM_BYTES);
    expect(bodyLimitFor("/login", "application/json")).toBe(MAX_FORM_BYTES);
  });

  it("every page that reads uploads takes at least one 10 MB file with its fields, and at most five", () => {
    expect(uploadRoutes.length).toBeGreaterThanOrEqual(4);
    for (const file of uploadRoutes) {
      const limit = bodyLimitFor(sampleUrl(file), MULTIPART);
      expect(limit, `${file} (${sampleUrl(file)})`).toBeGreaterThan(MAX_FORM_BYTES);
      expect(limit, file).toBeLessThanOrEqual(5 * MAX_FILE_BYTES + MAX_FORM_BYTES);
    }
    expect(bodyLimitFor("/proposals/p1/attachments", MULTIPART)).toBeGreaterThanOrEqual(MAX_FILE_BYTES);
    expect(bodyLimitFor("/awards/p1/reports/p2", MULTIPART)).toBe(5 * MAX_FILE_BYTES + MAX_FORM_BYTES);
  });

  it("a page that takes no files gets the form limit for a multipart body too", () => {
    for (const file of routeFiles.filter((f) => !uploadRoutes.includes(f))) {
      expect(bodyLimitFor(sampleUrl(file), MULTIPART), `${file} (${sampleUrl(file)})`).toBe(MAX_FORM_BYTES);
    }
  });
});
