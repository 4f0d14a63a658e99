import { describe, expect, it } from "vitest";
import { loader as homeLoader } from "~/routes/applicant._index";
import { loader as awardLoader } from "~/routes/awards.$awardId._index";
import { loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { getDb } from "~/utils/db.server";
import { makeAward, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

type Home = { proposals: { id: string; next: string }[] };

async function memberCookie(organisationId: string) {
  const user = await makeUser({ organisationId });
  return sessionCookieFor(user.id);
}

async function homeNext(cookie: string, proposalId: string) {
  const response = await runLoader(homeLoader, getRequest("/applicant", { cookie }));
  expect(response.status).toBe(200);
  const home = (await response.json()) as Home;
  return home.proposals.find((p) => p.id === proposalId)!.next;
}

describe("what happens next follows the award on the applicant's pages", () => {
  it("after the offer: the home page says to accept it, not that an offer letter is coming", async () => {
    const award = await makeAward({ status: "offered" });
    const cookie = await memberCookie(award.organisationId);
    const next = await homeNext(cookie, award.proposalId);
    expect(next).toMatch(/Read the offer letter\. Then accept the offer/);
    expect(next).not.toMatch(/We will send you an offer letter|You will receive an offer letter|Offers are due from/);

    const proposal = (await (
      await runLoader(proposalLoader, getRequest(`/proposals/${award.proposalId}`, { cookie }), { proposalId: award.proposalId })
    ).json()) as {
      next: string;
      when: string | null;
    };
    expect(proposal.next).toMatch(/accept the offer/);
    expect(proposal.when).toBeNull();
  });

  it("after closure: the home page, the proposal page and the award page all say the award is closed", async () => {
    const award = await makeAward({ status: "accepted", conditions: ["Send the lease"], conditionStatus: "met" });
    const cookie = await memberCookie(award.organisationId);
    expect(await homeNext(cookie, award.proposalId)).toMatch(/so we can pay you/);

    await getDb().updateTable("award").set({ status: "closed", closed_at: new Date().toISOString() }).where("id", "=", award.awardId).execute();
    expect(await homeNext(cookie, award.proposalId)).toBe("This award is closed. Thank you.");
    const proposal = (await (
      await runLoader(proposalLoader, getRequest(`/proposals/${award.proposalId}`, { cookie }), { proposalId: award.proposalId })
    ).json()) as {
      next: string;
    };
    expect(proposal.next).toBe("This award is closed. Thank you.");
    const page = (await (await runLoader(awardLoader, getRequest(`/awards/${award.awardId}`, { cookie }), { awardId: award.awardId })).json()) as {
      nextStep: string;
    };
    expect(page.nextStep).toBe("This award is closed. Thank you.");
  });
});
