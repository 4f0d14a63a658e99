import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { ROLES, type Role } from "~/domain/roles";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as logoutAction } from "~/routes/logout";
import { getDb } from "~/utils/db.server";
import { countOf, makeDecisionGroup, makeOrganisation, makeUser } from "../factories";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, sessionCookieFor } from "../support/http";
import { portalTables } from "../../db/dialect";

const CSRF_MESSAGES = /This form (came from another site|has expired|could not be read)/;

type ActionFn = (args: ActionFunctionArgs) => Promise<Response> | Response;

// Every route module, flat files and folder routes alike, found on disk so a new route is picked up without editing this file.
const ROUTES_DIR = fileURLToPath(new URL("../../app/routes/", import.meta.url));
const routeModules: Record<string, () => Promise<{ action?: ActionFn }>> = {};
for (const entry of fs.readdirSync(ROUTES_DIR, { withFileTypes: true })) {
  const file = entry.isDirectory()
    ? ["route.tsx", "route.ts"].map((f) => path.join(ROUTES_DIR, entry.name, f)).find((f) => fs.existsSync(f))
    : /\.tsx?$/.test(entry.name)
      ? path.join(ROUTES_DIR, entry.name)
      : undefined;
  if (file) routeModules[file] = () => import(/* @vite-ignore */ file);
}

/** "invitations.$token.tsx" → { token: "…" }; "$.tsx" → { "*": "…" }. */
function paramsFor(file: string): Record<string, string> {
  const name = file
    .replace(/^.*\/routes\//, "")
    .replace(/\/route\.tsx?$/, "")
    .replace(/\.tsx?$/, "");
  const params: Record<string, string> = {};
  for (const segment of name.split(".")) {
    if (segment === "$") params["*"] = "anything";
    else if (segment.startsWith("$")) params[segment.slice(1)] = "not-a-real-id";
    else if (segment.startsWith("($") && segment.endsWith(")")) params[segment.slice(2, -1)] = "not-a-real-id";
  }
  return params;
}

function urlPathFor(file: string, params: Record<string, string>): string {
  const name = file
    .replace(/^.*\/routes\//, "")
    .replace(/\/route\.tsx?$/, "")
    .replace(/\.tsx?$/, "");
  const segments = name
    .split(".")
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => (s === "$" ? params["*"] : s.startsWith("$") ? params[s.slice(1)] : s.replace(/^\(\$?|\)$/g, "")));
  return `/${segments.join("/")}`;
}

const isSplat = (file: string) => /\/routes\/\$\.tsx?$/.test(file);

/** Row counts of every table, to show a refused POST wrote nothing. */
let tableNames: Promise<string[]> | undefined;
async function snapshot(): Promise<Record<string, number>> {
  // The portal's tables on either database (db/dialect.ts), without Kysely's migration bookkeeping; listed once.
  const names = await (tableNames ??= portalTables(getDb()).then((tables) => tables.map((t) => t.name).filter((name) => !name.startsWith("kysely_"))));
  // Every table's row count in one statement: on PostgreSQL each statement is a round trip, and this runs twice per action.
  const counts = sql.join(
    names.map((name) => sql`select ${name} as name, count(*) as n from ${sql.table(name)}`),
    sql` union all `,
  );
  const { rows } = await sql<{ name: string; n: number }>`${counts}`.execute(getDb());
  return Object.fromEntries(names.map((name) => [name, Number(rows.find((r) => r.name === name)!.n)]));
}

/** One signed-in user per role, each with the organisation or group their role would have. */
async function usersByRole(): Promise<Record<Role, string>> {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const community = await makeOrganisation({ kind: "community_group" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const ids: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const user = await makeUser({
      role,
      organisationId: role === "lead_org" ? lead.id : role === "applicant" ? community.id : null,
      decisionGroupId: role === "panel_member" || role === "adviser" ? group.id : null,
    });
    ids[role] = user.id;
  }
  return ids as Record<Role, string>;
}

describe("CSRF protection on a form post", () => {
  async function signedIn() {
    const user = await makeUser();
    return { user, cookie: await sessionCookieFor(user.id) };
  }
  const stillSignedIn = async (cookie: string) => (await getSessionUser(getDb(), getRequest("/", { cookie }))) !== null;

  it("a POST with the right token from this site is accepted (the control case)", async () => {
    const { cookie } = await signedIn();
    const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie }));
    expect(response.status).toBe(302);
    expect(await stillSignedIn(cookie)).toBe(false);
  });

  it("a POST without the token is refused with 403", async () => {
    const { cookie } = await signedIn();
    const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie, csrf: false }));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/This form has expired/);
    expect(await stillSignedIn(cookie)).toBe(true);
  });

  it("a POST with a wrong token is refused with 403", async () => {
    const { cookie } = await signedIn();
    const someoneElses = (await csrfFor()).token;
    for (const csrf of [someoneElses, "x".repeat(43), ""]) {
      const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie, csrf }));
      expect(response.status, csrf).toBe(403);
    }
    expect(await stillSignedIn(cookie)).toBe(true);
  });

  it("a POST whose token field matches no CSRF cookie is refused with 403", async () => {
    const { cookie } = await signedIn();
    const { token } = await csrfFor();
    const request = new Request(`${ORIGIN}/logout`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie },
      body: new URLSearchParams({ csrf: token }),
    });
    expect((await runAction(logoutAction, request)).status).toBe(403);
    expect(await stillSignedIn(cookie)).toBe(true);
  });

  it("a POST from a foreign Origin is refused with 403, even with a valid token", async () => {
    const { cookie } = await signedIn();
    for (const origin of ["http://evil.example", "http://localhost.evil.example", "null"]) {
      const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie, origin }));
      expect(response.status, origin).toBe(403);
      expect(await response.text()).toMatch(/came from another site/);
    }
    expect(await stillSignedIn(cookie)).toBe(true);
  });

  it("a POST with neither Origin nor Referer is refused with 403", async () => {
    const { cookie } = await signedIn();
    const response = await runAction(logoutAction, await postForm("/logout", {}, { cookie, origin: null }));
    expect(response.status).toBe(403);
    expect(await stillSignedIn(cookie)).toBe(true);
  });

  it("without Origin, a same-site Referer is accepted and a foreign one refused", async () => {
    const outbox = await countOf("email_outbox");
    const user = await makeUser();
    const foreign = await postForm("/forgot-password", { email: user.email }, { origin: null });
    foreign.headers.set("Referer", "http://evil.example/forgot-password");
    expect((await runAction(forgotAction, foreign)).status).toBe(403);
    expect(await countOf("email_outbox")).toBe(outbox);

    const sameSite = await postForm("/forgot-password", { email: user.email }, { origin: null });
    sameSite.headers.set("Referer", `${ORIGIN}/forgot-password`);
    expect((await runAction(forgotAction, sameSite)).status).toBe(200);
    expect(await countOf("email_outbox")).toBe(outbox + 1);
  });
});

describe("every route action checks the CSRF token", () => {
  it("finds the route modules (so the sweep below cannot pass by finding nothing)", async () => {
    const files = Object.keys(routeModules).map((f) => f.replace(/^.*\/routes\//, ""));
    for (const known of ["login.tsx", "logout.tsx", "register.tsx", "admin.users.tsx", "admin.invitations.tsx", "$.tsx"]) {
      expect(files).toContain(known);
    }
  });

  it("each action answers a tokenless POST from a signed-in admin with 403 (the splat route with 404), for every role, and writes nothing", async () => {
    const users = await usersByRole();
    const cookies = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await sessionCookieFor(users[role])] as const))) as Record<
      Role,
      string
    >;
    let checked = 0;
    for (const [file, load] of Object.entries(routeModules)) {
      const { action } = await load();
      if (!action) continue;
      checked += 1;
      const params = paramsFor(file);
      const path = urlPathFor(file, params);
      const before = await snapshot();
      const outcomes: string[] = [];

      for (const who of [...ROLES, "anonymous"] as const) {
        const cookie = who === "anonymous" ? undefined : cookies[who];
        const response = await runAction(action, await postForm(path, {}, { cookie, csrf: false }), params);
        const body = await response.clone().text();
        outcomes.push(`${who}: ${response.status} ${body.slice(0, 60)}`);
        const label = `${file} as ${who}`;
        if (isSplat(file)) {
          expect(response.status, label).toBe(404);
        } else if (who === "anonymous" && response.status !== 403) {
          expect(response.status, label).toBe(302);
          expect(response.headers.get("Location"), label).toMatch(/^\/login\?redirectTo=/);
        } else {
          expect(response.status, label).toBe(403);
        }
      }

      expect(await snapshot(), `${file} wrote rows for a tokenless POST`).toEqual(before);
      if (!isSplat(file)) {
        expect(
          outcomes.some((o) => CSRF_MESSAGES.test(o)),
          `${file}: no role was refused for the missing token itself, so the CSRF check may be missing:\n${outcomes.join("\n")}`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });
});
