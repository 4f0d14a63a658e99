import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const tsxFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(path.join(dir, e.name)) : e.name.endsWith(".tsx") ? [path.join(dir, e.name)] : [],
  );

/**
 * Buttons whose aria-label adds what they act on (aria-label={copy.makeOfferLabel(o.title)})
 * around visible words ({copy.makeOffer}): the accessible name must start with the visible
 * words, so a voice-control user who says "Make offer" reaches it (WCAG 2.5.3, axe: label-content-name-mismatch).
 */
function labelledButtons(source: string) {
  const found: { label: string; visible: string; labelText: string; visibleText: string }[] = [];
  const pattern = /<button[^>]*aria-label=\{copy\.(\w+)\([^)]*\)\}[^>]*>\s*\{copy\.(\w+)\}/g;
  for (const m of source.matchAll(pattern)) {
    const [, label, visible] = m as unknown as [string, string, string];
    const labelText = new RegExp(`\\n\\s*${label}: \\([^)]*\\) => \`([^\`]*)\``).exec(source)?.[1];
    const visibleText = new RegExp(`\\n\\s*${visible}: "([^"]*)"`).exec(source)?.[1];
    if (labelText !== undefined && visibleText !== undefined) found.push({ label, visible, labelText, visibleText });
  }
  return found;
}

describe("a button's accessible name starts with its visible words", () => {
  it("holds for every button whose aria-label adds context (e.g. 'Make offer for Roof repairs')", () => {
    const all = tsxFiles(path.join(process.cwd(), "app")).flatMap((file) =>
      labelledButtons(readFileSync(file, "utf8")).map((b) => ({ ...b, file: path.relative(process.cwd(), file) })),
    );
    expect(all.map((b) => b.label)).toContain("makeOfferLabel");
    const mismatched = all
      .filter((b) => !b.labelText.startsWith(b.visibleText))
      .map((b) => `${b.file}: "${b.labelText}" does not start with "${b.visibleText}"`);
    expect(mismatched).toEqual([]);
  });
});
