import { hashPassword } from "~/auth/password.server";
import { newTotpSecret } from "~/auth/two-factor.server";
import { sealSecret } from "~/auth/two-factor-secret.server";
import type { Constituency, Role } from "~/domain/roles";
import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";

/** The password every factory-made user has. */
export const TEST_PASSWORD = "correct horse battery staple";

let hashed: Promise<string> | undefined;
const testPasswordHash = () => (hashed ??= hashPassword(TEST_PASSWORD));

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

export async function makeOrganisation(overrides: { name?: string; kind?: "community_group" | "lead_org" } = {}) {
  const org = { id: newId(), name: overrides.name ?? `Organisation ${unique()}`, kind: overrides.kind ?? "community_group", created_at: nowIso() };
  await getDb().insertInto("organisation").values(org).execute();
  return org;
}

export async function makeFund(overrides: { name?: string; budgetPence?: number } = {}) {
  const fund = {
    id: newId(),
    name: overrides.name ?? `Fund ${unique()}`,
    purpose: "A test fund.",
    type: "capital" as const,
    budget_pence: overrides.budgetPence ?? 100_000_000,
    is_published: 1 as const,
    created_at: nowIso(),
  };
  await getDb().insertInto("fund").values(fund).execute();
  return fund;
}

export async function makeDecisionGroup(overrides: { fundId?: string; leadOrganisationId?: string; name?: string } = {}) {
  const fundId = overrides.fundId ?? (await makeFund()).id;
  const group = {
    id: newId(),
    fund_id: fundId,
    name: overrides.name ?? `Group ${unique()}`,
    area: "Test area",
    pot_pence: 50_000_000,
    min_grant_pence: 1_000_000,
    max_grant_pence: 10_000_000,
    created_at: nowIso(),
  };
  await getDb().insertInto("decision_group").values(group).execute();
  if (overrides.leadOrganisationId) {
    await getDb().insertInto("decision_group_lead_org").values({ decision_group_id: group.id, organisation_id: overrides.leadOrganisationId }).execute();
  }
  return group;
}

export async function makeUser(
  overrides: {
    role?: Role;
    email?: string;
    name?: string;
    constituency?: Constituency | null;
    organisationId?: string | null;
    decisionGroupId?: string | null;
    /** An adviser for a whole fund. */
    fundId?: string | null;
    isChair?: boolean;
    isDisabled?: boolean;
    /** A panel member who has declared their interests (or nothing to declare) and so may see proposals. */
    hasDeclaredInterests?: boolean;
    /** Two-factor sign-in set up (totpSecret returned). Administrators have it unless told otherwise, as they must. */
    hasTwoFactor?: boolean;
  } = {},
) {
  const now = nowIso();
  const user = {
    id: newId(),
    email: overrides.email ?? `user-${unique()}@example.test`,
    name: overrides.name ?? "Test Person",
    role: overrides.role ?? ("applicant" as Role),
    constituency: overrides.constituency ?? (overrides.role === "panel_member" ? "resident" : null),
    decision_group_id: overrides.decisionGroupId ?? null,
    organisation_id: overrides.organisationId ?? null,
    membershipId: null as string | null,
    /** The base32 TOTP secret when two-factor sign-in is set up (compute codes with totpCodeAt). */
    totpSecret: null as string | null,
  };
  await getDb()
    .insertInto("user")
    .values({
      id: user.id,
      email: user.email,
      name: user.name,
      password_hash: await testPasswordHash(),
      disabled_at: overrides.isDisabled ? now : null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  // An applicant with no group is someone who has registered and not yet set one up: no membership.
  if (user.role !== "applicant" || user.organisation_id) {
    user.membershipId = await addMembership(user.id, {
      role: user.role,
      organisationId: user.organisation_id,
      decisionGroupId: user.decision_group_id,
      fundId: overrides.fundId,
      constituency: user.constituency,
      isChair: overrides.isChair,
      hasDeclaredInterests: overrides.hasDeclaredInterests,
    });
  }
  if (overrides.hasTwoFactor ?? user.role === "admin") user.totpSecret = await enrolTwoFactor(user.id);
  return user;
}

/** Sets up two-factor sign-in for a person, as if they had confirmed their app; returns the base32 secret. */
export async function enrolTwoFactor(userId: string): Promise<string> {
  const secret = newTotpSecret();
  const now = nowIso();
  await getDb()
    .insertInto("two_factor")
    .values({
      user_id: userId,
      secret: sealSecret(userId, secret),
      pending_secret: null,
      confirmed_at: now,
      last_used_step: null,
      failed_since: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return secret;
}

/** Gives an existing person one more membership (a second role); returns its id. */
export async function addMembership(
  userId: string,
  m: {
    role: Role;
    organisationId?: string | null;
    decisionGroupId?: string | null;
    fundId?: string | null;
    constituency?: Constituency | null;
    isChair?: boolean;
    hasDeclaredInterests?: boolean;
  },
): Promise<string> {
  const now = nowIso();
  const id = newId();
  await getDb()
    .insertInto("membership")
    .values({
      id,
      user_id: userId,
      role: m.role,
      organisation_id: m.organisationId ?? null,
      decision_group_id: m.decisionGroupId ?? null,
      fund_id: m.fundId ?? null,
      constituency: m.constituency ?? (m.role === "panel_member" ? "resident" : null),
      is_chair: m.isChair ? 1 : 0,
      interests_declared_at: m.hasDeclaredInterests ? now : null,
      started_at: now,
      ended_at: null,
      created_by: null,
    })
    .execute();
  return id;
}

/** The Actor a service is given for someone acting under this membership. */
export const actorOf = (u: { id: string; role: Role; organisation_id: string | null; decision_group_id: string | null; membershipId?: string | null }) => ({
  id: u.id,
  role: u.role,
  organisationId: u.organisation_id,
  decisionGroupId: u.decision_group_id,
  membershipId: u.membershipId ?? null,
});

/** The emails queued for an address, oldest first. */
export function emailsTo(address: string) {
  return getDb().selectFrom("email_outbox").selectAll().where("to_address", "=", address).orderBy("created_at").orderBy("id").execute();
}

/** The token at the end of a link like APP_URL/<path>/<token> in an email body. */
export function tokenFromLink(bodyText: string, path: "invitations" | "reset-password"): string {
  const match = new RegExp(`http://localhost/${path}/([A-Za-z0-9_-]+)`).exec(bodyText);
  if (!match) throw new Error(`No /${path}/ link in:\n${bodyText}`);
  return match[1]!;
}

/** Audit events with this action, oldest first. */
export function auditEventsFor(action: string) {
  return getDb().selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("id").execute();
}

/** Rows in a table, for "nothing was written" checks. */
export async function countOf(table: "user" | "session" | "invitation" | "password_reset" | "audit_event" | "email_outbox" | "login_attempt") {
  const { n } = await getDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Sets a fund's phase dates (YYYY-MM-DD or null). */
export async function setFundDates(
  fundId: string,
  dates: { opens_on?: string | null; closes_on?: string | null; review_on?: string | null; decisions_on?: string | null },
) {
  await getDb().updateTable("fund").set(dates).where("id", "=", fundId).execute();
}

export async function makeEligibilityQuestion(
  fundId: string,
  overrides: { text?: string; position?: number; options?: string[]; ineligibleAnswers?: string[]; ineligibleReason?: string } = {},
) {
  const question = {
    id: newId(),
    fund_id: fundId,
    position: overrides.position ?? 1,
    text: overrides.text ?? "Is your project something physical, like a building or equipment?",
    kind: "yes_no" as const,
    options: JSON.stringify(overrides.options ?? ["Yes", "No"]),
    ineligible_answers: JSON.stringify(overrides.ineligibleAnswers ?? ["No"]),
    ineligible_reason: overrides.ineligibleReason ?? "This fund only pays for physical things, such as buildings or equipment, not services.",
  };
  await getDb().insertInto("eligibility_question").values(question).execute();
  return question;
}

/** A proposal whose content passes the checklist for makeDecisionGroup's default limits. */
export const COMPLETE_CONTENT = {
  title: "New roof for the community hall",
  summary: "We will replace the leaking roof so the hall can be used all year.",
  needType: "expressed" as const,
  needEvidence: "The hall closed for 40 days last winter because of leaks.",
  beneficiaries: "Families and older people in Lawrence Hill",
  beneficiaryCount: 400,
  whatBuilt: "A new insulated roof",
  budgetLines: [
    { item: "Roofing contractor", costPence: 4_000_000 },
    { item: "Scaffolding", costPence: 500_000 },
  ],
  amountRequestedPence: 4_500_000,
  startDate: "2027-04-01",
  endDate: "2027-09-30",
  outcomes: [{ outcome: "The hall is open all winter", measure: "Days open between November and March" }],
};

export async function makeProposal(overrides: {
  decisionGroupId: string;
  organisationId: string;
  createdBy?: string;
  status?: "draft" | "submitted" | "changes_requested" | "supported" | "declined" | "eligible" | "ineligible" | "under_review";
  content?: Partial<typeof COMPLETE_CONTENT>;
  isEmpty?: boolean;
  preparedByOrganisationId?: string | null;
  version?: number;
}) {
  const now = nowIso();
  const content = overrides.isEmpty ? null : { ...COMPLETE_CONTENT, ...overrides.content };
  const proposal = {
    id: newId(),
    reference: `T-${unique()}`,
    decision_group_id: overrides.decisionGroupId,
    organisation_id: overrides.organisationId,
    status: overrides.status ?? "draft",
    title: content?.title ?? "",
    summary: content?.summary ?? "",
    need_type: content?.needType ?? null,
    need_evidence: content?.needEvidence ?? "",
    beneficiaries: content?.beneficiaries ?? "",
    beneficiary_count: content?.beneficiaryCount ?? null,
    what_built: content?.whatBuilt ?? "",
    budget_lines: JSON.stringify(content?.budgetLines ?? []),
    amount_requested_pence: content?.amountRequestedPence ?? null,
    start_date: content?.startDate ?? null,
    end_date: content?.endDate ?? null,
    outcomes: JSON.stringify(content?.outcomes ?? []),
    eligibility_answers: "{}",
    prepared_by_organisation_id: overrides.preparedByOrganisationId ?? null,
    group_confirmation: null,
    created_by: overrides.createdBy ?? "system",
    imported_by: null,
    created_at: now,
    updated_at: now,
    submitted_at: overrides.status && overrides.status !== "draft" ? now : null,
    version: overrides.version ?? (overrides.status && overrides.status !== "draft" ? 1 : 0),
  };
  await getDb().insertInto("proposal").values(proposal).execute();
  return proposal;
}

/** A scoring criterion; guidance is one text per score band, lowest first. */
export async function makeCriterion(fundId: string, overrides: { name?: string; position?: number; weight?: number; guidance?: string[] } = {}) {
  const criterion = {
    id: newId(),
    fund_id: fundId,
    position: overrides.position ?? 1,
    name: overrides.name ?? `Criterion ${unique()}`,
    guidance: JSON.stringify(overrides.guidance ?? ["Not met", "Weak", "Partly met", "Adequate", "Good", "Excellent"]),
    weight: overrides.weight ?? 1,
  };
  await getDb().insertInto("criterion").values(criterion).execute();
  return criterion;
}

/** The member declares an interest in a proposal, which recuses them from it. */
/** Declares an interest in a proposal under the member's panel membership of its decision group. */
export async function declareInterestIn(userId: string, proposalId: string, relationship: "member" | "trustee" = "member") {
  const db = getDb();
  const membership = await db
    .selectFrom("membership")
    .innerJoin("proposal", "proposal.decision_group_id", "membership.decision_group_id")
    .select("membership.id")
    .where("membership.user_id", "=", userId)
    .where("membership.role", "=", "panel_member")
    .where("proposal.id", "=", proposalId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("interest_declaration")
    .values({
      id: newId(),
      user_id: userId,
      membership_id: membership.id,
      organisation_id: null,
      proposal_id: proposalId,
      relationship,
      is_pecuniary: 0,
      details: "",
      created_at: nowIso(),
    })
    .execute();
}

/**
 * A funded decision for a proposal (status funded), without an award yet.
 * Creates the fund, group, organisation and proposal when not given.
 */
export async function makeFundedDecision(
  overrides: { decisionGroupId?: string; organisationId?: string; proposalId?: string; amountPence?: number; conditions?: string[]; decidedBy?: string } = {},
) {
  const decisionGroupId = overrides.decisionGroupId ?? (await makeDecisionGroup()).id;
  const organisationId = overrides.organisationId ?? (await makeOrganisation()).id;
  const proposalId = overrides.proposalId ?? (await makeProposal({ decisionGroupId, organisationId, status: "under_review" })).id;
  await getDb().updateTable("proposal").set({ status: "funded" }).where("id", "=", proposalId).execute();
  const decidedBy = overrides.decidedBy ?? (await makeUser({ role: "admin" })).id;
  const decision = {
    id: newId(),
    proposal_id: proposalId,
    meeting_id: null,
    outcome: "funded" as const,
    amount_pence: overrides.amountPence ?? 4_500_000,
    conditions: (overrides.conditions ?? []).join("\n"),
    reason: "The panel agreed the project meets the fund's priorities.",
    feedback: "",
    decided_by: decidedBy,
    decided_at: nowIso(),
  };
  await getDb().insertInto("decision").values(decision).execute();
  return { decisionId: decision.id, proposalId, organisationId, decisionGroupId, amountPence: decision.amount_pence, decidedBy };
}

/**
 * An award made from a funded decision, with its version 1 and one award_condition per condition
 * (all "outstanding" unless conditionStatus says otherwise). Creates whatever is not given.
 */
export async function makeAward(
  overrides: {
    decisionGroupId?: string;
    organisationId?: string;
    amountPence?: number;
    status?: "offered" | "accepted" | "declined" | "closed" | "withdrawn";
    conditions?: string[];
    conditionStatus?: "outstanding" | "evidence_submitted" | "met";
  } = {},
) {
  const made = await makeFundedDecision({
    decisionGroupId: overrides.decisionGroupId,
    organisationId: overrides.organisationId,
    amountPence: overrides.amountPence,
    conditions: overrides.conditions,
  });
  const { n } = await getDb()
    .selectFrom("award")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const now = nowIso();
  const status = overrides.status ?? "offered";
  const isAccepted = status === "accepted" || status === "closed";
  const award = {
    id: newId(),
    reference: `A-${String(Number(n) + 1).padStart(4, "0")}-${unique()}`,
    proposal_id: made.proposalId,
    decision_id: made.decisionId,
    organisation_id: made.organisationId,
    decision_group_id: made.decisionGroupId,
    status,
    amount_pence: made.amountPence,
    offered_at: now,
    accepted_at: isAccepted ? now : null,
    accepted_by: null,
    signatory_name: isAccepted ? "Sam Signatory" : null,
    signatory_role: isAccepted ? "Chair" : null,
    declined_at: status === "declined" ? now : null,
    decline_reason: status === "declined" ? "We no longer have a site for the project." : null,
    closed_at: status === "closed" ? now : null,
    outcome_summary: status === "closed" ? "The project was delivered." : null,
    withdrawn_at: status === "withdrawn" ? now : null,
    withdrawal_reason: status === "withdrawn" ? "The project could not go ahead." : null,
    clawback_pence: status === "withdrawn" ? 0 : null,
    created_by: made.decidedBy,
    created_at: now,
    updated_at: now,
  };
  await getDb().insertInto("award").values(award).execute();
  await getDb()
    .insertInto("award_version")
    .values({
      id: newId(),
      award_id: award.id,
      version: 1,
      snapshot: JSON.stringify({ amount_pence: award.amount_pence, conditions: overrides.conditions ?? [] }),
      reason: "Offer made",
      created_by: made.decidedBy,
      created_at: now,
    })
    .execute();
  const conditionIds: string[] = [];
  for (const [index, text] of (overrides.conditions ?? []).entries()) {
    const id = newId();
    const conditionStatus = overrides.conditionStatus ?? "outstanding";
    await getDb()
      .insertInto("award_condition")
      .values({
        id,
        award_id: award.id,
        position: index + 1,
        text,
        status: conditionStatus,
        evidence_note: conditionStatus === "outstanding" ? null : "Evidence attached.",
        signed_off_by: conditionStatus === "met" ? made.decidedBy : null,
        signed_off_at: conditionStatus === "met" ? now : null,
        created_at: now,
      })
      .execute();
    conditionIds.push(id);
  }
  return {
    awardId: award.id,
    reference: award.reference,
    decisionId: made.decisionId,
    proposalId: made.proposalId,
    organisationId: made.organisationId,
    decisionGroupId: made.decisionGroupId,
    amountPence: award.amount_pence,
    /** The administrator who decided (and made the offer). */
    adminId: made.decidedBy,
    conditionIds,
  };
}
