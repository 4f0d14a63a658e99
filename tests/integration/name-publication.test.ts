import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/panel.name";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeUser } from "../factories";
import { panelMember } from "../support/decisions";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

const isPublicInDb = async (id: string) =>
  (await getDb().selectFrom("membership").select("is_name_public").where("user_id", "=", id).where("role", "=", "panel_member").executeTakeFirstOrThrow())
    .is_name_public;

describe("a panel member's choice about publishing their name", () => {
  it("is theirs to make, is stored and audited, and can be taken back", async () => {
    const group = await makeDecisionGroup();
    const member = await panelMember(group.id);
    expect((await (await runLoader(loader, getRequest("/panel/name", { cookie: member.cookie }))).json()).isPublic).toBe(false);

    const yes = await runAction(action, await postForm("/panel/name", { isPublic: "yes" }, { cookie: member.cookie }));
    expect(yes.status).toBe(200);
    expect(await isPublicInDb(member.id)).toBe(1);
    const events = await getDb().selectFrom("audit_event").select(["actor", "after"]).where("action", "=", "membership.name_publication_set").execute();
    expect(events).toEqual([{ actor: member.id, after: '{"is_name_public":1}' }]);

    await runAction(action, await postForm("/panel/name", { isPublic: "no" }, { cookie: member.cookie }));
    expect(await isPublicInDb(member.id)).toBe(0);
  });

  it("answers a missing choice with 400 and a plain message, changing nothing", async () => {
    const group = await makeDecisionGroup();
    const member = await panelMember(group.id);
    const response = await runAction(action, await postForm("/panel/name", {}, { cookie: member.cookie }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors.isPublic).toBe("Choose whether your name may be published");
    expect(await isPublicInDb(member.id)).toBe(0);
  });

  it("is not open to other roles", async () => {
    const applicant = await makeUser({ role: "applicant" });
    const response = await runAction(action, await postForm("/panel/name", { isPublic: "yes" }, { cookie: await sessionCookieFor(applicant.id) }));
    expect(response.status).toBe(403);
  });
});
