import { sql } from "kysely";
import { isPostgres, portalTables } from "../../db/dialect";
import { inviteUser, requestPasswordReset, requestRegistration } from "~/services/accounts.server";
import { requestToJoinGroup } from "~/services/group-membership.server";
import { scheduleMeeting } from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { fileStore } from "~/utils/file-store.server";
import { newId, newToken, nowIso } from "~/utils/ids.server";
import {
  actorOf,
  declareInterestIn,
  emailsTo,
  makeAward,
  makeCriterion,
  makeDecisionGroup,
  makeFund,
  makeOrganisation,
  makeProposal,
  makeUser,
  setFundDates,
  tokenFromLink,
} from "../factories";
import { scoreSheet } from "./decisions";
import { sessionCookieFor } from "./http";
import { makeMeeting, markPresent } from "./meetings";

/**
 * Who tries each route in tests/integration/route-matrix.test.ts. Every record
 * the matrix asks for belongs to community group A, in decision group A (fund A),
 * served by lead organisation A. The first eight are the personas; the
 * last four are controls who may use A's records, so a table entry whose
 * params point at nothing (everyone 404) shows up.
 */
export const PERSONAS = {
  anonymous: "anonymous",
  otherApplicant: "a member of another community group (group B)",
  otherLead: "another area's lead organisation (lead B)",
  otherPanel: "another group's panel member (panel B)",
  recused: "a member of panel A recused from the proposal",
  chair: "panel A's chair, own sheets not in, scoring open",
  otherAdviser: "another group's adviser (group B)",
  admin: "an administrator",
  owner: "control: a member of community group A",
  areaLead: "control: lead organisation A, which serves group A",
  groupAdviser: "control: group A's adviser",
  fundAdviser: "control: a specialist adviser for the whole of fund A",
  scorer: "control: a member of panel A who has submitted their sheet",
} as const;

export type Persona = keyof typeof PERSONAS;
export type SignedInPersona = Exclude<Persona, "anonymous">;

/**
 * Text planted in records only some personas may read. A response that shows
 * one to anyone else is a leak, whatever its status (see the matrix).
 */
export const SECRETS = [
  { text: "SECRET-member-score-comment", what: "a member's score sheet comment", seenBy: ["scorer"] },
  { text: "SECRET-adviser-risks", what: "the adviser's written input", seenBy: ["admin", "chair", "scorer", "groupAdviser"] },
  { text: "SECRET-meeting-note", what: "a note taken at the meeting", seenBy: ["admin", "chair", "scorer"] },
] as const satisfies readonly { text: string; what: string; seenBy: readonly SignedInPersona[] }[];

/** A one-page PDF's worth of bytes: sniffed as a PDF by the download route. */
const PDF = new TextEncoder().encode("%PDF-1.4\n% route matrix\n");

/** A PDF kept in the portal's file store (UPLOADS_DIR on SQLite, the database on PostgreSQL). */
async function storedFile(): Promise<{ stored_name: string; mime_type: string; size_bytes: number }> {
  const stored_name = await fileStore(getDb()).put(PDF);
  return { stored_name, mime_type: "application/pdf", size_bytes: PDF.byteLength };
}

async function attach(proposalId: string, uploadedBy: string, name: string): Promise<string> {
  const id = newId();
  await getDb()
    .insertInto("attachment")
    .values({ id, proposal_id: proposalId, original_name: name, ...(await storedFile()), uploaded_by: uploadedBy, created_at: nowIso(), removed_at: null })
    .execute();
  return id;
}

async function panelMemberOf(groupId: string, overrides: { isChair?: boolean } = {}) {
  return makeUser({ role: "panel_member", decisionGroupId: groupId, isChair: overrides.isChair, hasDeclaredInterests: true });
}

/**
 * The one world the matrix runs against, built once. Area A holds every record
 * the routes are asked about; area B holds the outsiders; a third, unpublished
 * fund holds an accepted award that must not show in open data.
 */
export async function buildRouteWorld() {
  const db = getDb();
  const admin = await makeUser({ role: "admin" });

  // Area A: the records.
  const fundA = await makeFund({ name: "Fund A" });
  await setFundDates(fundA.id, { opens_on: "2020-01-01", closes_on: "2099-12-31" });
  const criterion = await makeCriterion(fundA.id, { position: 1 });
  const leadA = await makeOrganisation({ kind: "lead_org", name: "Lead A" });
  const groupA = await makeDecisionGroup({ fundId: fundA.id, leadOrganisationId: leadA.id, name: "Group A" });
  const orgA = await makeOrganisation({ name: "Community group A" });
  const owner = await makeUser({ organisationId: orgA.id, name: "Owner A" });
  const areaLead = await makeUser({ role: "lead_org", organisationId: leadA.id, name: "Lead A staff" });
  const chair = await panelMemberOf(groupA.id, { isChair: true });
  const member = await panelMemberOf(groupA.id);
  const recused = await panelMemberOf(groupA.id);
  const groupAdviser = await makeUser({ role: "adviser", decisionGroupId: groupA.id });
  const fundAdviser = await makeUser({ role: "adviser", fundId: fundA.id });

  const inGroupA = { decisionGroupId: groupA.id, organisationId: orgA.id, createdBy: owner.id };
  /** A draft the group wrote itself: its lead organisation has no business in it until it is submitted. */
  const draft = await makeProposal({ ...inGroupA, status: "draft", content: { title: "Group A's own draft" } });
  /** The same kind of draft, complete, for the "lead organisation submits it" case (a leak would change its status). */
  const draftToSubmit = await makeProposal({ ...inGroupA, status: "draft", content: { title: "Group A's second draft" } });
  /** A draft lead organisation A prepared for the group: lead A may edit it. */
  const prepared = await makeProposal({ ...inGroupA, createdBy: areaLead.id, status: "draft", preparedByOrganisationId: leadA.id });
  const submitted = await makeProposal({ ...inGroupA, status: "submitted", content: { title: "Group A's submitted proposal" } });
  const review = await makeProposal({ ...inGroupA, status: "under_review", content: { title: "Group A's proposal under review" } });
  /** Under review too, for decision posts (a leak would decide it). */
  const review2 = await makeProposal({ ...inGroupA, status: "under_review", content: { title: "Group A's second proposal under review" } });

  // Community group A is also fund A's community team (docs/decisions/0048): the team's members are the group's.
  const teamA = {
    id: newId(),
    fund_id: fundA.id,
    organisation_id: orgA.id,
    area: "Area A",
    term_starts_on: "2020-01-01",
    term_ends_on: "2099-12-31",
    created_by: admin.id,
    created_at: nowIso(),
  };
  await db.insertInto("community_team").values(teamA).execute();
  const teamIdea = {
    id: newId(),
    team_id: teamA.id,
    title: "Team A's idea",
    summary: "An idea of team A.",
    area: "Area A",
    status: "idea" as const,
    proposal_id: null,
    created_by: owner.id,
    created_at: nowIso(),
    updated_at: nowIso(),
  };
  await db.insertInto("community_team_idea").values(teamIdea).execute();

  const draftAttachment = await attach(draft.id, owner.id, "draft-quote.pdf");
  const reviewAttachment = await attach(review.id, owner.id, "review-quote.pdf");

  // Scoring is open: a member has submitted, the chair has only a draft, the recused member declared an interest.
  const memberSheet = await scoreSheet(review.id, member.id, { [criterion.id]: 4 });
  await db.updateTable("score_sheet").set({ overall_comment: SECRETS[0].text }).where("id", "=", memberSheet).execute();
  await scoreSheet(review2.id, member.id, { [criterion.id]: 3 });
  await scoreSheet(review.id, chair.id, { [criterion.id]: 2 }, { isDraft: true });
  await declareInterestIn(recused.id, review.id);

  const questionId = newId();
  await db
    .insertInto("clarification_question")
    .values({
      id: questionId,
      proposal_id: review.id,
      asked_by: member.id,
      body: "Who will maintain the roof?",
      asked_at: nowIso(),
      answer: null,
      answered_by: null,
      answered_at: null,
    })
    .execute();
  await db
    .insertInto("specialist_input")
    .values({
      id: newId(),
      proposal_id: review.id,
      user_id: groupAdviser.id,
      feasibility: "Feasible.",
      cost_realism: "Realistic.",
      risks: SECRETS[1].text,
      updated_at: nowIso(),
    })
    .execute();

  const meeting = await makeMeeting(groupA.id, admin.id);
  const publicMeetingId = await scheduleMeeting(db, actorOf(admin), {
    fundId: fundA.id,
    decisionGroupId: groupA.id,
    title: "Public meeting A",
    venue: "Hall A",
    startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    admission: "open",
  });
  await markPresent(meeting.id, [chair, member, recused]);
  await db
    .insertInto("meeting_note")
    .values({ id: newId(), meeting_id: meeting.id, proposal_id: review.id, author_id: member.id, body: SECRETS[2].text, created_at: nowIso() })
    .execute();

  const award = await makeAward({ decisionGroupId: groupA.id, organisationId: orgA.id, status: "accepted", conditions: ["Planning permission is granted"] });
  const awardFileId = newId();
  await db
    .insertInto("award_file")
    .values({
      id: awardFileId,
      award_id: award.awardId,
      condition_id: award.conditionIds[0]!,
      report_id: null,
      original_name: "permission.pdf",
      ...(await storedFile()),
      uploaded_by: owner.id,
      created_at: nowIso(),
    })
    .execute();
  const reportId = newId();
  await db.insertInto("monitoring_report").values({ id: reportId, award_id: award.awardId, kind: "progress", due_on: "2027-06-30", status: "due" }).execute();

  // Area B: the outsiders, each with a role in another fund's group.
  const fundB = await makeFund({ name: "Fund B" });
  await setFundDates(fundB.id, { opens_on: "2020-01-01", closes_on: "2099-12-31" });
  await db.updateTable("fund").set({ results_published_at: nowIso() }).where("id", "=", fundB.id).execute();
  const leadB = await makeOrganisation({ kind: "lead_org", name: "Lead B" });
  const groupB = await makeDecisionGroup({ fundId: fundB.id, leadOrganisationId: leadB.id, name: "Group B" });
  const orgB = await makeOrganisation({ name: "Community group B" });
  const otherApplicant = await makeUser({ organisationId: orgB.id, name: "Member of B" });
  const otherLead = await makeUser({ role: "lead_org", organisationId: leadB.id, name: "Lead B staff" });
  const otherPanel = await panelMemberOf(groupB.id);
  const otherAdviser = await makeUser({ role: "adviser", decisionGroupId: groupB.id });
  /** Someone else entirely: their membership is what a form names when it should not. */
  const bystander = await panelMemberOf(groupB.id);
  const proposalB = await makeProposal({ decisionGroupId: groupB.id, organisationId: orgB.id, createdBy: otherApplicant.id, status: "submitted" });
  /** A community group with no one signed up: a lead organisation may start a proposal for it. */
  const offlineGroup = await makeOrganisation({ name: "A group not yet online" });

  // An unpublished fund with an accepted award: nobody but administrators may see it.
  const hiddenFund = await makeFund({ name: "Unpublished fund" });
  await db.updateTable("fund").set({ is_published: 0 }).where("id", "=", hiddenFund.id).execute();
  const hiddenGroup = await makeDecisionGroup({ fundId: hiddenFund.id, name: "Unpublished group" });
  await makeAward({ decisionGroupId: hiddenGroup.id, status: "accepted" });

  // Someone with an account asks to join group A.
  const joiner = await makeUser({ name: "Would-be member" });
  const joinRequestId = await requestToJoinGroup(db, { id: joiner.id, role: null, organisationId: null, decisionGroupId: null }, orgA.id, {
    nameGiven: "",
    message: "I volunteer at the hall.",
  });

  // Someone else's tokens: an invitation for a new panel member, and a password reset for owner A.
  const invitation = await inviteUser(db, actorOf(admin), {
    name: "Invited Person",
    email: `invitee-${newToken(6)}@example.test`,
    role: "panel_member",
    constituency: "resident",
    decisionGroupId: groupA.id,
  });
  await requestPasswordReset(db, owner.email);
  const resetEmail = (await emailsTo(owner.email)).find((e) => e.body_text.includes("/reset-password/"));
  const resetToken = tokenFromLink(resetEmail!.body_text, "reset-password");
  const registrant = `registrant-${newToken(6)}@example.test`.toLowerCase();
  await requestRegistration(db, { name: "Registering Person", email: registrant, password: "teapot river lantern" });
  const registrationToken = /\/register\/confirm\/([A-Za-z0-9_-]+)/.exec((await emailsTo(registrant))[0]!.body_text)![1]!;

  const users: Record<SignedInPersona, { id: string; membershipId: string | null }> = {
    otherApplicant,
    otherLead,
    otherPanel,
    recused,
    chair,
    otherAdviser,
    admin,
    owner,
    areaLead,
    groupAdviser,
    fundAdviser,
    scorer: member,
  };
  const cookies = {} as Record<SignedInPersona, string>;
  for (const [persona, user] of Object.entries(users) as [SignedInPersona, { id: string }][]) cookies[persona] = await sessionCookieFor(user.id);
  // Someone else's session, for the session list's per-session "Sign out".
  await sessionCookieFor(bystander.id);
  const bystanderSession = await getDb().selectFrom("session").select("id").where("user_id", "=", bystander.id).executeTakeFirstOrThrow();

  return {
    users,
    cookies,
    /** A fresh session for a persona, for posts that end it (signing out). */
    freshCookie: (persona: SignedInPersona) => sessionCookieFor(users[persona].id),
    member,
    bystander,
    bystanderSessionId: bystanderSession.id,
    criterion,
    fundA,
    fundB,
    hiddenFund,
    groupA,
    groupB,
    leadA,
    leadB,
    orgA,
    orgB,
    offlineGroup,
    draft,
    draftToSubmit,
    prepared,
    submitted,
    review,
    review2,
    proposalB,
    draftAttachment,
    reviewAttachment,
    questionId,
    meeting,
    publicMeetingId,
    award,
    awardFileId,
    reportId,
    joinRequestId,
    team: { teamId: teamA.id, ideaId: teamIdea.id },
    invitationToken: invitation.token,
    resetToken,
    registrationToken,
  };
}

export type RouteWorld = Awaited<ReturnType<typeof buildRouteWorld>>;

let isWatching = false;

/**
 * Records every insert, update and delete on every table from now on, with
 * temporary triggers on this test file's own connection (nothing is stored in
 * the schema). A session's timestamps are left out: signed-in requests touch
 * them. Use writeMark and tablesWrittenSince to show a refused post wrote nothing.
 * On PostgreSQL (INTEGRATION_ON_POSTGRES) there are no temporary triggers: the
 * log and its row triggers live in the test file's own schema, dropped with it.
 */
export async function watchWrites(): Promise<void> {
  if (isWatching) return;
  const db = getDb();
  if (isPostgres(db)) {
    await watchWritesOnPostgres();
    isWatching = true;
    return;
  }
  await sql`create temp table if not exists matrix_write (id integer primary key autoincrement, tbl text not null)`.execute(db);
  const tables = await sql<{
    name: string;
  }>`select name from main.sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL%'`.execute(db);
  for (const { name } of tables.rows) {
    for (const event of ["insert", "update", "delete"] as const) {
      // A session's last_seen_at and expires_at move on their own; which membership it wears does not.
      const on = name === "session" && event === "update" ? "update of membership_id, user_id" : event;
      await sql
        .raw(
          `create temp trigger if not exists "matrix_${name}_${event}" after ${on} on main."${name}" begin insert into matrix_write (tbl) values ('${name}'); end`,
        )
        .execute(db);
    }
  }
  isWatching = true;
}

async function watchWritesOnPostgres(): Promise<void> {
  const db = getDb();
  await sql`create table if not exists matrix_write (id bigserial primary key, tbl text not null)`.execute(db);
  await sql
    .raw(
      `create or replace function matrix_log() returns trigger language plpgsql as 'begin insert into matrix_write (tbl) values (TG_TABLE_NAME); return null; end'`,
    )
    .execute(db);
  for (const { name } of await portalTables(db)) {
    if (name === "matrix_write") continue;
    for (const event of ["insert", "update", "delete"] as const) {
      const on = name === "session" && event === "update" ? "update of membership_id, user_id" : event;
      await sql.raw(`create trigger "matrix_${name}_${event}" after ${on} on "${name}" for each row execute function matrix_log()`).execute(db);
    }
  }
}

const writeLog = () => (isPostgres(getDb()) ? "matrix_write" : "temp.matrix_write");

/** A point in the write log. */
export async function writeMark(): Promise<number> {
  const { rows } = await sql<{ n: number | null }>`select max(id) as n from ${sql.raw(writeLog())}`.execute(getDb());
  return Number(rows[0]?.n ?? 0);
}

/** The tables written to since the mark. */
export async function tablesWrittenSince(mark: number): Promise<string[]> {
  const { rows } = await sql<{ tbl: string }>`select distinct tbl from ${sql.raw(writeLog())} where id > ${mark} order by tbl`.execute(getDb());
  return rows.map((r) => r.tbl);
}
