import type { DB } from "../../db/client";
import type { Constituency } from "../../db/schema";
import { CONSTITUENCIES } from "~/domain/roles";
import { declarationSentence } from "~/domain/interests";
import { AWAITING_DECISION_STATUSES, type UndecidedProposal } from "~/domain/publishing";
import { listInterestRegister } from "./interests.server";

const FOUND_ELIGIBLE = ["eligible", "under_review", "funded", "not_funded", "reserve"] as const;

/**
 * The one rule for what the public may read about a fund's decisions: the
 * results page and the 360Giving open data both answer only once an
 * administrator has published the results.
 */
export const areResultsPublished = (fund: { results_published_at: string | null }): boolean => Boolean(fund.results_published_at);

/** The fund's proposals still waiting for a decision (or for screening), which stop its results being published. */
export async function listUndecidedProposals(db: DB, fundId: string): Promise<UndecidedProposal[]> {
  const rows = await db
    .selectFrom("proposal")
    .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
    .select(["proposal.id", "proposal.reference", "proposal.title", "proposal.status", "decision_group.id as group_id", "decision_group.name as group_name"])
    .where("decision_group.fund_id", "=", fundId)
    .where("proposal.status", "in", AWAITING_DECISION_STATUSES)
    .orderBy("decision_group.name")
    .orderBy("proposal.reference")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    title: r.title,
    decisionGroupId: r.group_id,
    decisionGroupName: r.group_name,
    status: r.status as UndecidedProposal["status"],
  }));
}

/** A fund with its results publication state, or undefined. */
export function getFundForResults(db: DB, fundId: string) {
  return db
    .selectFrom("fund")
    .select(["id", "name", "purpose", "budget_pence", "is_published", "results_published_at"])
    .where("id", "=", fundId)
    .executeTakeFirst();
}

export interface PublishedGroup {
  id: string;
  name: string;
  area: string;
  potPence: number;
  fundedPence: number;
  counts: { received: number; eligible: number; funded: number; notFunded: number; reserve: number };
  funded: { id: string; reference: string; title: string; organisation: string; amountPence: number; reason: string; conditions: string }[];
  panel: {
    counts: Record<Constituency, number>;
    total: number;
    publicNames: { name: string; constituency: Constituency | null; isChair: boolean }[];
  };
  minutes: { id: string; title: string; heldOn: string; minutes: string }[];
  /** Declarations of interest and the recusals they caused, naming members only where they agreed. */
  declarations: { id: string; text: string }[];
}

/**
 * Everything the public results page shows, in a few queries for the whole
 * fund. Nothing here carries a score, a vote by a named person or a scorer's
 * name; panel members are named only where they agreed (is_name_public).
 */
export async function getPublishedResults(db: DB, fundId: string): Promise<PublishedGroup[]> {
  const groups = await db
    .selectFrom("decision_group")
    .select(["id", "name", "area", "pot_pence"])
    .where("fund_id", "=", fundId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  const [counts, funded, panel, minutes, register] = await Promise.all([
    db
      .selectFrom("proposal")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .select((eb) => [
        "proposal.decision_group_id",
        eb.fn.countAll<number>().as("received"),
        eb.fn.sum<number>(eb.case().when("proposal.status", "in", FOUND_ELIGIBLE).then(1).else(0).end()).as("eligible"),
        eb.fn.sum<number>(eb.case().when("proposal.status", "=", "funded").then(1).else(0).end()).as("funded"),
        eb.fn.sum<number>(eb.case().when("proposal.status", "=", "not_funded").then(1).else(0).end()).as("notFunded"),
        eb.fn.sum<number>(eb.case().when("proposal.status", "=", "reserve").then(1).else(0).end()).as("reserve"),
      ])
      .where("decision_group.fund_id", "=", fundId)
      // Received: submitted to the lead organisation at least once.
      .where("proposal.submitted_at", "is not", null)
      .groupBy("proposal.decision_group_id")
      .execute(),
    db
      .selectFrom("decision")
      .innerJoin("proposal", "proposal.id", "decision.proposal_id")
      .innerJoin("decision_group", "decision_group.id", "proposal.decision_group_id")
      .innerJoin("organisation", "organisation.id", "proposal.organisation_id")
      .select([
        "proposal.id",
        "proposal.decision_group_id",
        "proposal.reference",
        "proposal.title",
        "organisation.name as organisation",
        "decision.amount_pence",
        "decision.reason",
        "decision.conditions",
      ])
      .where("decision_group.fund_id", "=", fundId)
      .where("decision.outcome", "=", "funded")
      .where("proposal.status", "=", "funded")
      .orderBy("proposal.reference")
      .execute(),
    // Everyone who held a panel membership in this fund's groups, ended or not:
    // the published composition stays true after people move on.
    db
      .selectFrom("membership")
      .innerJoin("user", "user.id", "membership.user_id")
      .innerJoin("decision_group", "decision_group.id", "membership.decision_group_id")
      .select(["membership.decision_group_id", "membership.constituency", "user.name", "membership.is_name_public", "membership.is_chair"])
      .where("decision_group.fund_id", "=", fundId)
      .where("membership.role", "=", "panel_member")
      .where("user.disabled_at", "is", null)
      .orderBy("user.name")
      .execute(),
    db
      .selectFrom("meeting")
      .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
      .select(["meeting.id", "meeting.decision_group_id", "meeting.title", "meeting.held_on", "meeting.minutes"])
      .where("decision_group.fund_id", "=", fundId)
      .where("meeting.status", "=", "closed")
      .orderBy("meeting.held_on")
      .orderBy("meeting.id")
      .execute(),
    listInterestRegister(
      db,
      groups.map((g) => g.id),
    ),
  ]);
  return groups.map((g): PublishedGroup => {
    const c = counts.find((r) => r.decision_group_id === g.id);
    const projects = funded
      .filter((f) => f.decision_group_id === g.id)
      .map((f) => ({
        id: f.id,
        reference: f.reference,
        title: f.title,
        organisation: f.organisation,
        amountPence: f.amount_pence ?? 0,
        reason: f.reason,
        conditions: f.conditions,
      }));
    const members = panel.filter((m) => m.decision_group_id === g.id);
    const byConstituency = Object.fromEntries(CONSTITUENCIES.map((k) => [k, members.filter((m) => m.constituency === k).length])) as Record<
      Constituency,
      number
    >;
    return {
      id: g.id,
      name: g.name,
      area: g.area,
      potPence: g.pot_pence,
      fundedPence: projects.reduce((sum, p) => sum + p.amountPence, 0),
      counts: {
        received: Number(c?.received ?? 0),
        eligible: Number(c?.eligible ?? 0),
        funded: Number(c?.funded ?? 0),
        notFunded: Number(c?.notFunded ?? 0),
        reserve: Number(c?.reserve ?? 0),
      },
      funded: projects,
      panel: {
        counts: byConstituency,
        total: members.length,
        publicNames: members.filter((m) => m.is_name_public === 1).map((m) => ({ name: m.name, constituency: m.constituency, isChair: m.is_chair === 1 })),
      },
      minutes: minutes.filter((m) => m.decision_group_id === g.id).map((m) => ({ id: m.id, title: m.title, heldOn: m.held_on, minutes: m.minutes })),
      declarations: register.filter((r) => r.groupId === g.id).map((r) => ({ id: r.id, text: declarationSentence(r, { isPublic: true }) })),
    };
  });
}
