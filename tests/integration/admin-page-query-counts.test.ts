import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { loader as adminHomeLoader } from "~/routes/admin._index";
import { loader as auditLoader } from "~/routes/admin.audit";
import { loader as awardsLoader } from "~/routes/admin.awards._index";
import { loader as dashboardLoader } from "~/routes/admin.dashboard";
import { loader as screeningLoader } from "~/routes/admin.screening";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { loader as fundsLoader } from "~/routes/funds._index";
import { makeAward, makeDecisionGroup, makeFund, makeFundedDecision, makeOrganisation, makeProposal, makeUser } from "../factories";
import { statementsOf as statementsDuring } from "../support/database";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

// Issue 11, item 3: no query per row. Each page below runs the same statements
// whether its fund has two decision groups or five, with their proposals, offers
// and awards: the lists are read with grouped queries, never one query per group.

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;

/** The reads one load of the page runs, through a handle that logs them (writes such as a session's last visit left out). */
async function statementsOf(loader: Loader, path: string, cookie: string | null, params: Record<string, string> = {}): Promise<string[]> {
  const load = async () => {
    const response = await runLoader(loader, getRequest(path, cookie ? { cookie } : {}), params);
    expect(response.status).toBe(200);
    await response.text();
  };
  // The first load may record a chain checkpoint or a session's last visit; the second shows the page's own reads.
  await load();
  const statements = await statementsDuring(load);
  // Sorted: a page runs its reads at once (Promise.all), and on PostgreSQL's pool of connections they finish in any order.
  return statements.filter((s) => /^(select|with)/i.test(s)).sort();
}

let fundId: string;
let cookie: string;

/** A decision group with a lead organisation, proposals waiting for screening, an offer to make and two awards. */
async function addBusyGroup() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ fundId, leadOrganisationId: lead.id });
  for (let i = 0; i < 2; i += 1) {
    await makeProposal({ decisionGroupId: group.id, organisationId: (await makeOrganisation()).id, status: "submitted" });
  }
  await makeFundedDecision({ decisionGroupId: group.id });
  await makeAward({ decisionGroupId: group.id, status: "accepted", conditions: ["Lease"], conditionStatus: "evidence_submitted" });
  await makeAward({ decisionGroupId: group.id, status: "offered" });
}

beforeAll(async () => {
  fundId = (await makeFund({ name: "Query Count Fund" })).id;
  cookie = await sessionCookieFor((await makeUser({ role: "admin" })).id);
  for (let i = 0; i < 2; i += 1) await addBusyGroup();
});

describe("the administrator's and public pages run no query per row", () => {
  const pages: [string, Loader, () => string, () => Record<string, string>, boolean][] = [
    ["/admin", adminHomeLoader, () => "/admin", () => ({}), true],
    ["/admin/dashboard", dashboardLoader, () => "/admin/dashboard", () => ({}), true],
    ["/admin/awards", awardsLoader, () => "/admin/awards", () => ({}), true],
    ["/admin/screening", screeningLoader, () => "/admin/screening", () => ({}), true],
    ["/admin/audit", auditLoader, () => "/admin/audit", () => ({}), true],
    ["/funds", fundsLoader, () => "/funds", () => ({}), false],
    ["/funds/:fundId", fundLoader, () => `/funds/${fundId}`, () => ({ fundId }), false],
  ];

  it("runs the same statements with two busy decision groups or five", async () => {
    const before = new Map<string, string[]>();
    for (const [name, loader, path, params, isAdmin] of pages) before.set(name, await statementsOf(loader, path(), isAdmin ? cookie : null, params()));
    for (let i = 0; i < 3; i += 1) await addBusyGroup();
    for (const [name, loader, path, params, isAdmin] of pages) {
      const after = await statementsOf(loader, path(), isAdmin ? cookie : null, params());
      expect({ page: name, statements: after }).toEqual({ page: name, statements: before.get(name) });
      expect(after.length, name).toBeLessThanOrEqual(25);
    }
  });
});
