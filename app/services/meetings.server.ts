import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import { chairIdsOf, currentPanel } from "~/models/membership.server";
import { appendAuditEvent } from "~/models/audit.server";
import { recusedFrom, recusedViewerId } from "~/models/recusal.server";
import { AGENDA_STATUSES } from "~/models/meeting.server";
import { newId, nowIso } from "~/utils/ids.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

/** Throws unless the actor may run this group's meetings (the policy's meeting.run: an administrator, or the group's chair). */
export async function requireMeetingRunner(trx: DB, actor: Actor, decisionGroupId: string) {
  if (!can(actor, "meeting.run", { type: "panel", decisionGroupId, chairIds: await chairIdsOf(trx, decisionGroupId) })) {
    throw new DomainError("Only a fund administrator or this group's chair can run its meetings.");
  }
}

async function requireOpenMeeting(trx: DB, meetingId: string) {
  const meeting = await trx
    .selectFrom("meeting")
    .select(["id", "decision_group_id", "title", "held_on", "status", "minutes", "closed_at"])
    .where("id", "=", meetingId)
    .executeTakeFirst();
  if (!meeting) throw new DomainError("That meeting does not exist.");
  if (meeting.status !== "open") throw new DomainError("This meeting has closed, so nothing more can be recorded at it.");
  return meeting;
}

/** Opens a meeting of a decision group's panel, for an administrator or the group's chair. */
export async function openMeeting(
  db: DB,
  actor: Actor,
  groupId: string,
  input: { title: string; heldOn: string },
  submission?: Submission | null,
): Promise<string> {
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const group = await trx.selectFrom("decision_group").select("id").where("id", "=", groupId).executeTakeFirst();
    if (!group) throw new DomainError("Choose the decision group whose panel is meeting", "groupId");
    await requireMeetingRunner(trx, actor, group.id);
    const row = {
      id: newId(),
      decision_group_id: groupId,
      title: input.title,
      held_on: input.heldOn,
      status: "open" as const,
      minutes: "",
      opened_by: actor.id,
      created_at: nowIso(),
      closed_at: null,
    };
    await trx.insertInto("meeting").values(row).execute();
    await appendAuditEvent(trx, { actor: actor.id, action: "meeting.opened", entityType: "meeting", entityId: row.id, after: row });
    return row.id;
  });
}

/**
 * Records who is present: every current panel member of the group gets a row,
 * present when their id is in presentIds. The constituency is copied from the
 * member, so a later change to their constituency does not rewrite the
 * meeting's quorum.
 */
export async function recordAttendance(db: DB, actor: Actor, meetingId: string, presentIds: readonly string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const meeting = await requireOpenMeeting(trx, meetingId);
    await requireMeetingRunner(trx, actor, meeting.decision_group_id);
    const members = await currentPanel(trx, meeting.decision_group_id)
      .select(["user.id", "user.name", "membership.constituency"])
      .where("user.disabled_at", "is", null)
      .where("membership.constituency", "is not", null)
      .execute();
    const memberIds = new Set(members.map((m) => m.id));
    const unknown = presentIds.filter((id) => !memberIds.has(id));
    if (unknown.length) throw new DomainError("Only members of this group's panel can be marked present. Reload the page and try again.", "present");
    const present = new Set(presentIds);
    const before = await trx
      .selectFrom("meeting_attendance")
      .select(["user_id", "constituency", "is_present"])
      .where("meeting_id", "=", meetingId)
      .orderBy("user_id")
      .execute();
    const rows = members
      .map((m) => ({ meeting_id: meetingId, user_id: m.id, constituency: m.constituency!, is_present: present.has(m.id) ? (1 as const) : (0 as const) }))
      .sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
    if (rows.length) {
      await trx
        .insertInto("meeting_attendance")
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns(["meeting_id", "user_id"])
            .doUpdateSet((eb) => ({ is_present: eb.ref("excluded.is_present"), constituency: eb.ref("excluded.constituency") })),
        )
        .execute();
    }
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "meeting.attendance_recorded",
      entityType: "meeting",
      entityId: meetingId,
      before: { attendance: before },
      after: { attendance: rows.map(({ user_id, constituency, is_present }) => ({ user_id, constituency, is_present })) },
    });
  });
}

/**
 * Adds a discussion note on an agenda proposal. A member recused from the
 * proposal is refused (the condition is in the WHERE clause); the route
 * answers 403 before this, so this is the second line.
 */
export async function addNote(db: DB, author: Actor, meetingId: string, proposalId: string, body: string): Promise<string> {
  return inTransaction(db, async (trx) => {
    const meeting = await requireOpenMeeting(trx, meetingId);
    if (
      !can(author, "meeting.read", { type: "panel", decisionGroupId: meeting.decision_group_id, chairIds: await chairIdsOf(trx, meeting.decision_group_id) })
    ) {
      throw new DomainError("Only this group's panel and the fund administrator take part in its meetings.");
    }
    let query = trx
      .selectFrom("proposal")
      .select(["proposal.id", "proposal.reference"])
      .where("proposal.id", "=", proposalId)
      .where("proposal.decision_group_id", "=", meeting.decision_group_id)
      .where("proposal.status", "in", AGENDA_STATUSES);
    const recused = recusedViewerId(author);
    if (recused) query = query.where((eb) => eb.not(recusedFrom(eb, recused)));
    const proposal = await query.executeTakeFirst();
    if (!proposal) throw new DomainError("Notes can only be added to a proposal on this meeting's agenda that you are not recused from.");
    const row = { id: newId(), meeting_id: meetingId, proposal_id: proposalId, author_id: author.id, body, created_at: nowIso() };
    await trx.insertInto("meeting_note").values(row).execute();
    await appendAuditEvent(trx, { actor: author.id, action: "meeting_note.added", entityType: "meeting", entityId: meetingId, after: row });
    return row.id;
  });
}

/** Closes a meeting with its minutes. Refused while a vote is still open, so no vote is left hanging. */
export async function closeMeeting(db: DB, actor: Actor, meetingId: string, minutes: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await requireOpenMeeting(trx, meetingId);
    await requireMeetingRunner(trx, actor, before.decision_group_id);
    const open = await trx.selectFrom("vote_item").select("id").where("meeting_id", "=", meetingId).where("status", "=", "open").executeTakeFirst();
    if (open) throw new DomainError("Close the votes that are still open before you close the meeting.", "minutes");
    const after = { status: "closed" as const, minutes, closed_at: nowIso() };
    await trx.updateTable("meeting").set(after).where("id", "=", meetingId).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "meeting.closed",
      entityType: "meeting",
      entityId: meetingId,
      before,
      after: { ...before, ...after },
    });
  });
}
