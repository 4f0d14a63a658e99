import type { Actor } from "~/domain/permissions";
import { ukLocalToIso } from "~/domain/community-ballot";
import { openBallot, saveBallotSetup, type BallotSetupInput } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeOrganisation, makeProposal } from "../factories";

/** A published fund decided by community ballot, with one decision group and three eligible proposals (£10,000, £20,000, £30,000). */
export async function makeBallotFund() {
  const group = await makeDecisionGroup({ name: "Eastside" });
  await getDb().updateTable("fund").set({ decision_method: "ballot" }).where("id", "=", group.fund_id).execute();
  const org = await makeOrganisation();
  const proposals = [];
  for (const [i, pence] of [1_000_000, 2_000_000, 3_000_000].entries()) {
    proposals.push(
      await makeProposal({
        decisionGroupId: group.id,
        organisationId: org.id,
        status: "eligible",
        content: { title: `Idea ${i + 1}`, summary: `What idea ${i + 1} does.`, amountRequestedPence: pence },
      }),
    );
  }
  return { fundId: group.fund_id, group, proposals };
}

const hour = 60 * 60 * 1000;

/** Set-up form fields for an approval ballot (choose up to 2) that is open now, for postcodes starting BS5. */
export const approvalSetupFields = (overrides: Record<string, string> = {}) => ({
  kind: "approval",
  maxChoices: "2",
  countingRule: "equal-shares",
  tieRule: "cheaper-then-more-votes-then-reference",
  opensAt: new Date(Date.now() - hour).toISOString().slice(0, 16),
  closesAt: new Date(Date.now() + 24 * hour).toISOString().slice(0, 16),
  prefixes: "BS5",
  intent: "save",
  ...overrides,
});

/** The set-up as the service takes it: approval, up to 2, open from an hour ago to a day ahead, BS5 postcodes. */
export function approvalSetup(overrides: Partial<BallotSetupInput["settings"]> = {}, area: { postcodes?: string; prefixes?: string } = {}): BallotSetupInput {
  return {
    settings: {
      kind: "approval",
      maxChoices: 2,
      pointsTotal: null,
      pointsMinProjects: null,
      budgetPence: null,
      countingRule: "equal-shares",
      tieRule: "cheaper-then-more-votes-then-reference",
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      minAge: null,
      ...overrides,
    },
    postcodes: area.postcodes ?? "",
    prefixes: area.prefixes ?? "BS5",
  };
}

/** A ballot fund whose approval ballot is set up and open now. */
export async function makeOpenBallot(
  admin: Actor,
  overrides: Partial<BallotSetupInput["settings"]> = {},
  area: { postcodes?: string; prefixes?: string } = {},
) {
  const world = await makeBallotFund();
  const ballotId = await saveBallotSetup(getDb(), admin, world.fundId, approvalSetup(overrides, area));
  const hash = await openBallot(getDb(), admin, world.fundId);
  return { ...world, ballotId, hash };
}

export { ukLocalToIso };
