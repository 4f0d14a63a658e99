import { describe, expect, it } from "vitest";
import { getUser } from "~/auth/guards.server";
import { createSession, getSessionUser } from "~/auth/session.server";
import { listActiveMemberships } from "~/models/membership.server";
import { getDb } from "~/utils/db.server";
import { addMembership, makeOrganisation, makeUser } from "../factories";
import { cookiePair, getRequest } from "../support/http";

// What every signed-in page pays for its session (issue 11, item 7).

const SECOND = 1_000;
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);
const lastSeenOf = async (userId: string) =>
  (await getDb().selectFrom("session").select("last_seen_at").where("user_id", "=", userId).executeTakeFirstOrThrow()).last_seen_at;

describe("reading a session", () => {
  it("does not write last_seen_at again within a minute of the last write, and does after it", async () => {
    const user = await makeUser();
    const start = new Date(Date.now() - 10 * 60 * SECOND);
    const cookie = cookiePair(await createSession(getDb(), user.id, start));
    const read = (now: Date) => getSessionUser(getDb(), getRequest("/", { cookie }), now);

    expect((await read(at(start, 30 * SECOND)))?.id).toBe(user.id);
    expect(await lastSeenOf(user.id)).toBe(start.toISOString());
    expect((await read(at(start, 59 * SECOND)))?.id).toBe(user.id);
    expect(await lastSeenOf(user.id)).toBe(start.toISOString());

    expect((await read(at(start, 61 * SECOND)))?.id).toBe(user.id);
    expect(await lastSeenOf(user.id)).toBe(at(start, 61 * SECOND).toISOString());
    expect((await read(at(start, 90 * SECOND)))?.id).toBe(user.id);
    expect(await lastSeenOf(user.id)).toBe(at(start, 61 * SECOND).toISOString());
  });

  it("gives every membership that has not ended, from one query, and none for a person without any", async () => {
    const user = await makeUser({ role: "applicant" });
    const lead = await makeOrganisation({ kind: "lead_org", name: "Session Reads Lead" });
    const leadMembership = await addMembership(user.id, { role: "lead_org", organisationId: lead.id });
    const ended = await addMembership(user.id, { role: "lead_org", organisationId: (await makeOrganisation({ kind: "lead_org" })).id });
    await getDb().updateTable("membership").set({ ended_at: new Date().toISOString() }).where("id", "=", ended).execute();
    const cookie = cookiePair(await createSession(getDb(), user.id));
    const found = await getSessionUser(getDb(), getRequest("/", { cookie }));
    // The same list, in the same order, as the memberships' own read view gives.
    expect(found?.memberships).toEqual(await listActiveMemberships(getDb(), user.id));
    expect(found?.memberships.map((m) => m.id)).toContain(leadMembership);
    expect(found?.memberships.map((m) => m.id)).not.toContain(ended);
    expect(found?.memberships.find((m) => m.id === leadMembership)?.organisationName).toBe("Session Reads Lead");

    const nobody = await makeUser({ role: "applicant" });
    await getDb().updateTable("membership").set({ ended_at: new Date().toISOString() }).where("user_id", "=", nobody.id).execute();
    const none = await getSessionUser(getDb(), getRequest("/", { cookie: cookiePair(await createSession(getDb(), nobody.id)) }));
    expect(none).toMatchObject({ id: nobody.id, role: null, hat: null, memberships: [] });
  });

  it("is shared by the loaders of one page that ask at the same time, and made afresh for the next page", async () => {
    const user = await makeUser({ role: "applicant" });
    const cookie = cookiePair(await createSession(getDb(), user.id));
    // Remix gives each loader its own copy of the request.
    const [root, page] = await Promise.all([getUser(getRequest("/applicant", { cookie })), getUser(getRequest("/applicant", { cookie }))]);
    expect(root?.id).toBe(user.id);
    expect(page).toBe(root);

    const next = await getUser(getRequest("/applicant", { cookie }));
    expect(next?.id).toBe(user.id);
    expect(next).not.toBe(root);

    // Signed out between pages: the next page sees it at once.
    await getDb().deleteFrom("session").where("user_id", "=", user.id).execute();
    expect(await getUser(getRequest("/applicant", { cookie }))).toBeNull();
  });
});
