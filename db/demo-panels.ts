import type { Constituency } from "~/domain/roles";
import type { Actor } from "~/domain/permissions";
import { addProposalInterest, declareInterests } from "~/services/interests.server";
import { castVote, closeVote, openVote } from "~/services/voting.server";
import { openMeeting, recordAttendance, addNote } from "~/services/meetings.server";
import { answerQuestion, askQuestion } from "~/services/questions.server";
import { closeScoring, openGroupForReview, saveScoreSheet } from "~/services/scoring.server";
import { saveSpecialistInput } from "~/services/specialist-input.server";
import { setChair } from "~/services/panel-rules.server";
import type { DB } from "./client";

/** Panel members beyond the demo accounts, so every decision group has a balanced panel. They use the member password. */
export const EXTRA_PANEL_MEMBERS: ReadonlyArray<{ email: string; name: string; constituency: Constituency; group: string }> = [
  { email: "resident2@demo.example", name: "Priya Patel", constituency: "resident", group: "Inner City and East" },
  { email: "south-resident@demo.example", name: "Dan Hughes", constituency: "resident", group: "South Bristol" },
  { email: "south-resident2@demo.example", name: "Maggie Ford", constituency: "resident", group: "South Bristol" },
  { email: "south-councillor@demo.example", name: "Cllr Sue Mills", constituency: "councillor", group: "South Bristol" },
  { email: "south-vcse@demo.example", name: "Tom Reed", constituency: "vcse", group: "South Bristol" },
  { email: "equality-resident@demo.example", name: "Amina Yusuf", constituency: "resident", group: "Equality communities" },
  { email: "equality-resident2@demo.example", name: "Jo Clarke", constituency: "resident", group: "Equality communities" },
  { email: "equality-councillor@demo.example", name: "Cllr Ben Okafor", constituency: "councillor", group: "Equality communities" },
  { email: "equality-vcse@demo.example", name: "Kim Lewis", constituency: "vcse", group: "Equality communities" },
];

const CHAIRS: Record<string, string> = {
  "Inner City and East": "resident@demo.example",
  "South Bristol": "south-resident@demo.example",
  "Equality communities": "equality-resident@demo.example",
};

export interface PanelContext {
  fundId: string;
  groupIds: Map<string, string>;
  orgIds: Map<string, string>;
  people: Map<string, Actor>;
  admin: Actor;
}

/** Marks that differ by member and proposal, so results show spread and disagreement, deterministically. */
const mark = (memberIndex: number, proposalIndex: number, criterionIndex: number) => (2 + memberIndex * 3 + proposalIndex * 2 + criterionIndex) % 6;

/**
 * Every demo panel declares interests (one VCSE member is recused from the
 * Easton proposals), scores most eligible proposals, and Inner City and East
 * holds one meeting with a closed vote — all through the real services.
 */
export async function seedDemoPanels(trx: DB, ctx: PanelContext): Promise<void> {
  const members = [...ctx.people.entries()].filter(([, a]) => a.role === "panel_member");
  for (const [group, chairEmail] of Object.entries(CHAIRS)) {
    await setChair(trx, ctx.admin, ctx.groupIds.get(group)!, ctx.people.get(chairEmail)!.id);
  }
  for (const [email, member] of members) {
    if (email === "vcse@demo.example") {
      await declareInterests(trx, member, {
        organisationId: ctx.orgIds.get("Easton Tenants' Kitchen")!,
        relationship: "trustee",
        isPecuniary: false,
        details: "I am an unpaid trustee of Easton Tenants' Kitchen.",
      });
    }
    await declareInterests(trx, member, { nothingToDeclare: true });
  }

  const criteria = await trx.selectFrom("criterion").select("id").where("fund_id", "=", ctx.fundId).orderBy("position").execute();
  const adviser = ctx.people.get("adviser@demo.example")!;
  for (const [groupName, groupId] of ctx.groupIds) {
    const proposals = await trx
      .selectFrom("proposal")
      .select(["id", "organisation_id"])
      .where("decision_group_id", "=", groupId)
      .where("status", "=", "eligible")
      .orderBy("reference")
      .execute();
    if (!proposals.length) continue;
    await openGroupForReview(trx, ctx.admin, groupId);
    const panel = members.filter(([, a]) => a.decisionGroupId === groupId);
    for (const [p, proposal] of proposals.entries()) {
      for (const [m, [email, member]] of panel.entries()) {
        if (email === "vcse@demo.example" && proposal.organisation_id === ctx.orgIds.get("Easton Tenants' Kitchen")) continue;
        // One sheet left as a draft, so the progress and reminder screens have something to show.
        const isDraft = email === "councillor@demo.example" && p === proposals.length - 1;
        await saveScoreSheet(
          trx,
          member,
          proposal.id,
          {
            marks: Object.fromEntries(criteria.map((c, i) => [c.id, mark(m, p, i)])),
            comments: Object.fromEntries(criteria.map((c, i) => [c.id, i === 0 ? "The evidence of need is clear from the group's own survey." : ""])),
            overall: "A well-planned project with visible community support.",
          },
          !isDraft,
        );
      }
      if (groupName === "Inner City and East") {
        await saveSpecialistInput(trx, adviser, proposal.id, {
          feasibility: "Feasible within the timeline if the group secures the landlord's consent early.",
          costRealism: "Costs are in line with recent local quotes for similar work.",
          risks: "Main risk is contractor availability in the spring; build in a month's slack.",
        });
      }
    }
    if (groupName !== "Inner City and East") continue;

    const [first] = proposals;
    const resident = ctx.people.get("resident@demo.example")!;
    const questionId = await askQuestion(trx, resident, first!.id, "Who will be responsible for maintaining the building once it is finished?");
    const applicant = await trx
      .selectFrom("membership")
      .select(["user_id", "organisation_id"])
      .where("organisation_id", "=", first!.organisation_id)
      .where("role", "=", "applicant")
      .orderBy("started_at")
      .executeTakeFirstOrThrow();
    await answerQuestion(
      trx,
      { id: applicant.user_id, role: "applicant", organisationId: applicant.organisation_id, decisionGroupId: null },
      questionId,
      "Our volunteer maintenance team of six, with a repair fund from café income.",
    );
    const priya = ctx.people.get("resident2@demo.example")!;
    await addProposalInterest(trx, priya, first!.id, { relationship: "other", isPecuniary: false, details: "My daughter attends the workshop sessions." });

    await closeScoring(trx, ctx.admin, groupId);
    const meetingId = await openMeeting(trx, resident, groupId, { title: "Decision meeting 1", heldOn: new Date().toISOString().slice(0, 10) });
    await recordAttendance(
      trx,
      resident,
      meetingId,
      panel.map(([, a]) => a.id),
    );
    const voteOn = proposals[1] ?? first!;
    await addNote(trx, resident, meetingId, voteOn.id, "The panel discussed the running costs after the build; the group has a plan.");
    await openVote(trx, resident, meetingId, voteOn.id);
    for (const [email, member] of panel) {
      if (email === "vcse@demo.example" && voteOn.organisation_id === ctx.orgIds.get("Easton Tenants' Kitchen")) continue;
      await castVote(trx, member, meetingId, voteOn.id, email === "councillor@demo.example" ? "abstain" : "fund");
    }
    await closeVote(trx, resident, meetingId, voteOn.id, null);
  }
}
