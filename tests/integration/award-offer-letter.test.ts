import { describe, expect, it } from "vitest";
import { loader as offerLoader } from "~/routes/awards.$awardId.offer";
import { getDb } from "~/utils/db.server";
import { newId } from "~/utils/ids.server";
import { makeAward, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

const open = async (awardId: string, userId: string) =>
  runLoader(offerLoader, getRequest(`/awards/${awardId}/offer`, { cookie: await sessionCookieFor(userId) }), { awardId });

describe("the offer letter", () => {
  it("states the organisation, project, amount and conditions, and says the schedule and reports will be agreed when there are none", async () => {
    const made = await makeAward({ amountPence: 6_000_000, conditions: ["Two quotes for the building work", "Proof of lease"] });
    const member = await makeUser({ organisationId: made.organisationId });
    const response = await open(made.awardId, member.id);
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.award.amount).toBe("£60,000");
    expect(data.award.projectTitle).toBe("New roof for the community hall");
    expect(data.conditions.map((c: { text: string }) => c.text)).toEqual(["Two quotes for the building work", "Proof of lease"]);
    expect(data.instalments).toEqual([]);
    expect(data.reports).toEqual([]);
  });

  it("lists the payment schedule and the reporting dates once they are set", async () => {
    const made = await makeAward({ amountPence: 6_000_000 });
    await getDb()
      .insertInto("payment_instalment")
      .values({ id: newId(), award_id: made.awardId, position: 1, amount_pence: 3_000_000, due_on: "2027-05-01", released_by: "acceptance", report_id: null })
      .execute();
    await getDb().insertInto("monitoring_report").values({ id: newId(), award_id: made.awardId, kind: "final", due_on: "2027-12-01", status: "due" }).execute();
    const admin = await makeUser({ role: "admin" });
    const data = await (await open(made.awardId, admin.id)).json();
    expect(data.instalments).toEqual(["Instalment 1: £30,000, due on 1 May 2027, released when you accept this offer."]);
    expect(data.reports).toEqual(["Final report due on 1 December 2027."]);
  });

  it("is not found for a member of another group or a panel member", async () => {
    const made = await makeAward();
    const stranger = await makeUser({ organisationId: (await makeAward()).organisationId });
    expect((await open(made.awardId, stranger.id)).status).toBe(404);
    const panel = await makeUser({ role: "panel_member", decisionGroupId: made.decisionGroupId });
    expect((await open(made.awardId, panel.id)).status).toBe(404);
  });
});
