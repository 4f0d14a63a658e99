import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "~/domain/roles";
import { loader as adminAuditLoader } from "~/routes/admin.audit";
import { loader as adminInvitationsLoader } from "~/routes/admin.invitations";
import { loader as adminHomeLoader } from "~/routes/admin._index";
import { loader as adminOutboxLoader } from "~/routes/admin.outbox";
import { loader as adminUsersLoader } from "~/routes/admin.users";
import { loader as adviserHomeLoader } from "~/routes/adviser._index";
import { loader as applicantHomeLoader } from "~/routes/applicant._index";
import { loader as leadHomeLoader } from "~/routes/lead._index";
import { loader as panelHomeLoader } from "~/routes/panel._index";
import { makeDecisionGroup, makeOrganisation, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;

const ADMIN_PAGES: [string, Loader][] = [
  ["/admin", adminHomeLoader],
  ["/admin/audit", adminAuditLoader],
  ["/admin/outbox", adminOutboxLoader],
  ["/admin/users", adminUsersLoader],
  ["/admin/invitations", adminInvitationsLoader],
];

const ROLE_HOMES: [Role, string, Loader][] = [
  ["applicant", "/applicant", applicantHomeLoader],
  ["lead_org", "/lead", leadHomeLoader],
  ["panel_member", "/panel", panelHomeLoader],
  ["adviser", "/adviser", adviserHomeLoader],
];

async function cookieFor(role: Role) {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const group = await makeDecisionGroup({ leadOrganisationId: lead.id });
  const user = await makeUser({
    role,
    organisationId: role === "lead_org" ? lead.id : null,
    decisionGroupId: role === "panel_member" || role === "adviser" ? group.id : null,
    hasDeclaredInterests: role === "panel_member",
  });
  return sessionCookieFor(user.id);
}

describe("admin pages", () => {
  it.each(["applicant", "panel_member", "lead_org", "adviser"] as const)("are 403 for a signed-in %s", async (role) => {
    const cookie = await cookieFor(role);
    for (const [path, loader] of ADMIN_PAGES) {
      const response = await runLoader(loader, getRequest(path, { cookie }));
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toBe("You do not have permission to do that.");
    }
  });

  it("send an anonymous visitor to sign in, coming back to the page afterwards", async () => {
    for (const [path, loader] of ADMIN_PAGES) {
      const response = await runLoader(loader, getRequest(path));
      expect(response.status, path).toBe(302);
      expect(response.headers.get("Location"), path).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    }
    const withQuery = await runLoader(adminAuditLoader, getRequest("/admin/audit?action=user.disabled&page=2"));
    expect(withQuery.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Faudit%3Faction%3Duser.disabled%26page%3D2");
  });

  it("open for an administrator", async () => {
    const cookie = await cookieFor("admin");
    for (const [path, loader] of ADMIN_PAGES) {
      const response = await runLoader(loader, getRequest(path, { cookie }));
      expect(response.status, path).toBe(200);
    }
  });
});

describe("role home pages", () => {
  it.each(ROLE_HOMES)("the %s home %s is open to that role and 403 for every other role", async (owner, path, loader) => {
    for (const role of ROLES) {
      const response = await runLoader(loader, getRequest(path, { cookie: await cookieFor(role) }));
      expect(response.status, `${role} at ${path}`).toBe(role === owner ? 200 : 403);
    }
  });

  it.each(ROLE_HOMES)("the %s home %s sends an anonymous visitor to sign in", async (_owner, path, loader) => {
    const response = await runLoader(loader, getRequest(path));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  });

  it("a panel member's home shows their own decision group", async () => {
    const group = await makeDecisionGroup({ name: "Inner City and East" });
    const user = await makeUser({ role: "panel_member", constituency: "councillor", decisionGroupId: group.id, hasDeclaredInterests: true });
    const response = await runLoader(panelHomeLoader, getRequest("/panel", { cookie: await sessionCookieFor(user.id) }));
    const body = await response.json();
    expect(body.group.name).toBe("Inner City and East");
    expect(body.constituency).toBe("Councillor");
  });

  it("a VCSE representative's home names their constituency with its capitals, not 'as a vcse representative'", async () => {
    const group = await makeDecisionGroup({ name: "South" });
    const user = await makeUser({ role: "panel_member", constituency: "vcse", decisionGroupId: group.id, hasDeclaredInterests: true });
    const body = await (await runLoader(panelHomeLoader, getRequest("/panel", { cookie: await sessionCookieFor(user.id) }))).json();
    expect(`You sit on this panel as ${body.sitsAs}.`).toBe("You sit on this panel as a VCSE representative.");
  });
});
