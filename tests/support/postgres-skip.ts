import { expect, it } from "vitest";
import { isPostgresRequired, POSTGRES_SKIP_REASON, postgresTestUrl } from "./postgres";

// Apart from postgres.ts, which scripts outside Vitest import too (scripts/bench-load.ts).

/**
 * Call inside a describe of PostgreSQL tests: the URL to test against, or, without one, undefined after
 * registering the one test that says so (skipped, or failing when REQUIRE_POSTGRES_TESTS=1).
 */
export function postgresUrlOrSkip(): string | undefined {
  if (postgresTestUrl) return postgresTestUrl;
  if (isPostgresRequired) it("has a PostgreSQL to test (CI sets REQUIRE_POSTGRES_TESTS=1)", () => expect.fail(POSTGRES_SKIP_REASON));
  else it.skip(`skipped: ${POSTGRES_SKIP_REASON}`, () => undefined);
  return undefined;
}
