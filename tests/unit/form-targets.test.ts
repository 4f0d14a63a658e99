import { readFileSync } from "node:fs";
import path from "node:path";
import postcss from "postcss";
import tailwindcss from "tailwindcss";
import { describe, expect, it } from "vitest";
import config from "../../tailwind.config";

/** app/tailwind.css as Tailwind builds it for the portal. */
async function builtCss(): Promise<string> {
  const from = path.join(process.cwd(), "app", "tailwind.css");
  const result = await postcss([tailwindcss({ ...config, content: [path.join(process.cwd(), "app/**/*.{ts,tsx}")] })]).process(readFileSync(from, "utf8"), {
    from,
  });
  return result.css;
}

describe("radio and checkbox targets", () => {
  it("every radio and checkbox is at least 24×24 CSS px (1.5rem), whatever class its page gives it (WCAG 2.5.8)", async () => {
    const css = await builtCss();
    const rule = /input\[type="radio"\],\s*input\[type="checkbox"\]\s*\{([^}]*)\}/.exec(css);
    expect(rule, "a rule for both radios and checkboxes").not.toBeNull();
    expect(rule![1]).toMatch(/height:\s*1\.5rem/);
    expect(rule![1]).toMatch(/width:\s*1\.5rem/);
    expect(rule![1]).toMatch(/flex-shrink:\s*0/);
  });

  it("status tags are in sentence case, and their colours are built", async () => {
    const css = await builtCss();
    const tag = /\.tag\s*\{([^}]*)\}/.exec(css)![1]!;
    expect(tag).not.toMatch(/text-transform:\s*uppercase/);
    for (const utility of [
      "bg-green-100",
      "text-green-900",
      "bg-red-100",
      "text-red-900",
      "bg-yellow-100",
      "text-yellow-900",
      "bg-blue-100",
      "text-blue-900",
    ]) {
      expect(css).toContain(`.${utility}`);
    }
  });
});
