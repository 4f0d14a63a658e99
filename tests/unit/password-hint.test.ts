import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { passwordProblem } from "~/auth/password.server";
import { EXAMPLE_PASSWORD, PASSWORD_HINT } from "~/domain/password-hint";

/** The quoted examples in a hint: 'like this'. */
const quotedExamples = (hint: string) => [...hint.matchAll(/'([^']+)'/g)].map((m) => m[1]!);

describe("the password hint's example", () => {
  it("is refused by the password rules, in any case or spacing, and the hint says so", () => {
    expect(quotedExamples(PASSWORD_HINT)).toEqual([EXAMPLE_PASSWORD]);
    for (const attempt of [EXAMPLE_PASSWORD, EXAMPLE_PASSWORD.toUpperCase(), `  ${EXAMPLE_PASSWORD.replace(/ /g, "  ")} `]) {
      expect(passwordProblem(attempt)).toMatch(/example password/);
    }
    expect(PASSWORD_HINT).toMatch(/will be refused/);
    // Three words of one's own still pass.
    expect(passwordProblem("violet kettle meadow")).toBeNull();
  });

  it("every 'Create a password' hint in the routes is the shared one, so no page shows an example the rules accept", () => {
    const routes = path.join(process.cwd(), "app", "routes");
    const hints = readdirSync(routes)
      .map((file) => readFileSync(path.join(routes, file), "utf8"))
      .flatMap((source) => source.split("\n").filter((line) => /^\s*passwordHint:/.test(line)));
    expect(hints.length).toBeGreaterThanOrEqual(3);
    for (const line of hints) expect(line.trim()).toBe("passwordHint: PASSWORD_HINT,");
  });
});
