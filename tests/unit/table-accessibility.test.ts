import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable } from "~/components/ui/data-table";

/** Every .tsx file under a folder. */
const tsxFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(path.join(dir, e.name)) : e.name.endsWith(".tsx") ? [path.join(dir, e.name)] : [],
  );

describe("tables that scroll at 320 px", () => {
  it("the shared table is a named region keyboard users can focus, and a blank corner heading is a plain cell, not an empty <th>", () => {
    const html = renderToStaticMarkup(
      createElement(DataTable, {
        caption: "Money for the fund",
        columns: ["", "Pot"],
        children: createElement("tr", null, createElement("th", { scope: "row" }, "East")),
      }),
    );
    expect(html).toMatch(/^<div class="relative overflow-x-auto" role="region" aria-label="Money for the fund" tabindex="0">/);
    expect(html).toContain('<thead><tr><td></td><th scope="col">Pot</th></tr></thead>');
    expect(html).not.toMatch(/<th[^>]*><\/th>/);
  });

  it("every box that scrolls sideways in app/ is a focusable region with a name (axe: scrollable-region-focusable)", () => {
    const offenders = tsxFiles(path.join(process.cwd(), "app")).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${path.relative(process.cwd(), file)}:${i + 1}` }))
        .filter(({ line }) => line.includes("overflow-x-auto") && !line.includes("scrollRegion ="))
        .filter(({ line }) => !(line.includes('role="region"') && line.includes("aria-label=") && line.includes("tabIndex=")))
        .map(({ at }) => at),
    );
    // The shared helper carries all three; every other use must spell them out.
    expect(offenders).toEqual([]);
  });
});
