import { inTransaction, type DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, sniffFileType } from "~/domain/file-type";
import { canSubmitReport, isIsoDate, type ReportKind } from "~/domain/monitoring";
import { can, type Actor } from "~/domain/permissions";
import { formatDate, ukDate } from "~/domain/phases";
import { currentMembersOf } from "~/models/membership.server";
import { appendAuditEvent } from "~/models/audit.server";
import { awardResource } from "~/models/award.server";
import { getAwardFacts, listOverdueReports } from "~/models/monitoring.server";
import { queueEmail } from "~/models/outbox.server";
import { getEnv } from "~/utils/env.server";
import { keepUploadedFiles } from "~/utils/file-store.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyOrganisation } from "./notifications.server";

export const EVIDENCE_WRONG_TYPE = "Each file must be a photo (JPEG or PNG) or a PDF";
export const EVIDENCE_TOO_LARGE = "Each file must be 10 MB or smaller";
export const EVIDENCE_TOO_MANY = `You can add up to ${MAX_ATTACHMENTS} files to a report`;

export function assertAdmin(actor: Actor) {
  if (!can(actor, "awards.oversee")) throw new DomainError("Only a fund administrator can do that.");
}

async function awardFor(trx: DB, awardId: string) {
  const award = await getAwardFacts(trx, awardId);
  if (!award) throw new DomainError("We could not find that award.");
  return award;
}

const proposalRef = (a: { proposal_id: string; reference: string; title: string }) => ({ id: a.proposal_id, reference: a.reference, title: a.title });

/** Adds reporting dates to an award; returns how many were added. */
export async function scheduleReports(db: DB, admin: Actor, awardId: string, reports: readonly { kind: ReportKind; dueOn: string }[]): Promise<number> {
  assertAdmin(admin);
  if (!reports.length) throw new DomainError("Add at least one reporting date", "dueOn");
  for (const r of reports) if (!isIsoDate(r.dueOn)) throw new DomainError("Enter the due date as a real date", "dueOn");
  return inTransaction(db, async (trx) => {
    const award = await awardFor(trx, awardId);
    if (award.status !== "offered" && award.status !== "accepted") throw new DomainError("Reports can only be scheduled for an open award.");
    const existing = await trx.selectFrom("monitoring_report").select(["kind", "due_on"]).where("award_id", "=", awardId).execute();
    const seen = new Set(existing.map((e) => `${e.kind}:${e.due_on}`));
    const fresh = reports.filter((r) => !seen.has(`${r.kind}:${r.dueOn}`));
    if (fresh.some((r) => r.kind === "final") && existing.some((e) => e.kind === "final")) {
      throw new DomainError("This award already has a final report", "kind");
    }
    if (fresh.filter((r) => r.kind === "final").length > 1) throw new DomainError("An award has only one final report", "kind");
    if (!fresh.length) throw new DomainError("Those reporting dates are already scheduled", "dueOn");
    for (const r of fresh) {
      const id = newId();
      await trx.insertInto("monitoring_report").values({ id, award_id: awardId, kind: r.kind, due_on: r.dueOn, status: "due" }).execute();
      await appendAuditEvent(trx, {
        actor: admin.id,
        action: "monitoring_report.scheduled",
        entityType: "monitoring_report",
        entityId: id,
        after: { award_id: awardId, kind: r.kind, due_on: r.dueOn },
      });
    }
    return fresh.length;
  });
}

export interface ReportSubmission {
  progress: string;
  spend: { item: string; budget_pence: number; spent_pence: number }[];
  outcomes: { outcome: string; measure: string; achieved: string }[];
  files: { name: string; bytes: Uint8Array }[];
}

/** Submits a monitoring report for the member's own group's award, with any evidence files. */
export async function submitReport(db: DB, member: Actor, reportId: string, input: ReportSubmission): Promise<void> {
  if (!input.progress.trim()) throw new DomainError("Describe the progress the project has made", "progress");
  if (input.files.length > MAX_ATTACHMENTS) throw new DomainError(EVIDENCE_TOO_MANY, "files");
  const typed = input.files.map((f) => {
    if (f.bytes.byteLength === 0) throw new DomainError("One of the files is empty. Choose another file", "files");
    if (f.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new DomainError(EVIDENCE_TOO_LARGE, "files");
    const type = sniffFileType(f.bytes);
    if (!type || type.extension === "docx") throw new DomainError(EVIDENCE_WRONG_TYPE, "files");
    return { ...f, type };
  });
  const check = async (trx: DB) => {
    const report = await trx
      .selectFrom("monitoring_report")
      .select(["id", "award_id", "status", "kind", "due_on"])
      .where("id", "=", reportId)
      .executeTakeFirst();
    if (!report) throw new DomainError("We could not find that report.");
    const award = await awardFor(trx, report.award_id);
    if (!can(member, "award.act", awardResource(award))) {
      throw new DomainError("Only a member of the funded group can submit its reports.");
    }
    if (award.status !== "offered" && award.status !== "accepted") throw new DomainError("This grant is closed, so reports can no longer be sent.");
    if (!canSubmitReport(report.status)) throw new DomainError("This report has already been submitted.");
    const existingFiles = await trx
      .selectFrom("award_file")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("report_id", "=", reportId)
      .executeTakeFirstOrThrow();
    if (Number(existingFiles.n) + typed.length > MAX_ATTACHMENTS) throw new DomainError(EVIDENCE_TOO_MANY, "files");
    return { report, award };
  };
  await check(db);

  // The files are kept with the report in one write transaction (on disk: written first, removed again if it fails).
  await keepUploadedFiles(
    db,
    typed.map((f) => f.bytes),
    async (trx, storedNames) => {
      const { report, award } = await check(trx);
      const stamp = nowIso();
      await trx
        .updateTable("monitoring_report")
        .set({
          status: "submitted",
          progress: input.progress.trim(),
          spend: JSON.stringify(input.spend),
          outcomes: JSON.stringify(input.outcomes),
          submitted_by: member.id,
          submitted_at: stamp,
        })
        .where("id", "=", report.id)
        .execute();
      for (const [i, f] of typed.entries()) {
        await trx
          .insertInto("award_file")
          .values({
            id: newId(),
            award_id: award.id,
            report_id: report.id,
            original_name: f.name.slice(0, 200) || `evidence.${f.type.extension}`,
            stored_name: storedNames[i]!,
            mime_type: f.type.mime,
            size_bytes: f.bytes.byteLength,
            uploaded_by: member.id,
            created_at: stamp,
          })
          .execute();
      }
      await appendAuditEvent(trx, {
        actor: member.id,
        action: "monitoring_report.submitted",
        entityType: "monitoring_report",
        entityId: report.id,
        before: { status: report.status },
        after: { status: "submitted", files: typed.length },
      });
    },
  );
}

async function reviewReport(db: DB, admin: Actor, reportId: string, decision: "approved" | "more_requested", note: string) {
  assertAdmin(admin);
  if (decision === "more_requested" && !note.trim()) throw new DomainError("Tell the group what more you need", "note");
  await inTransaction(db, async (trx) => {
    const report = await trx
      .selectFrom("monitoring_report")
      .select(["id", "award_id", "status", "kind", "due_on"])
      .where("id", "=", reportId)
      .executeTakeFirst();
    if (!report) throw new DomainError("We could not find that report.");
    if (report.status !== "submitted") throw new DomainError("Only a submitted report can be reviewed.");
    const award = await awardFor(trx, report.award_id);
    const stamp = nowIso();
    await trx
      .updateTable("monitoring_report")
      .set({ status: decision, reviewed_by: admin.id, reviewed_at: stamp, review_note: note.trim() || null })
      .where("id", "=", report.id)
      .execute();
    await appendAuditEvent(trx, {
      actor: admin.id,
      action: `monitoring_report.${decision}`,
      entityType: "monitoring_report",
      entityId: report.id,
      before: { status: report.status },
      after: { status: decision, review_note: note.trim() || null },
    });
    const what = `${report.kind === "final" ? "final" : "progress"} report due ${formatDate(report.due_on)} for award ${award.reference}`;
    if (decision === "approved") {
      await notifyOrganisation(
        trx,
        award.organisation_id,
        proposalRef(award),
        "Report approved",
        `Your ${what} has been approved.${note.trim() ? `\n\n${note.trim()}` : ""}`,
      );
    } else {
      await notifyOrganisation(
        trx,
        award.organisation_id,
        proposalRef(award),
        "More information needed for your report",
        `The fund administrator has asked for more information on your ${what}:\n\n${note.trim()}\n\nUpdate and resubmit it: ${getEnv().APP_URL}/awards/${award.id}/reports/${report.id}`,
      );
    }
  });
}

export const approveReport = (db: DB, admin: Actor, reportId: string, note = "") => reviewReport(db, admin, reportId, "approved", note);
export const requestMore = (db: DB, admin: Actor, reportId: string, note: string) => reviewReport(db, admin, reportId, "more_requested", note);

/** One outbox email for each overdue report, to the group's contact (or its first member); returns how many. */
export async function sendOverdueReminders(db: DB, admin: Actor, now = new Date()): Promise<number> {
  assertAdmin(admin);
  return inTransaction(db, async (trx) => {
    const overdue = await listOverdueReports(trx, ukDate(now));
    if (!overdue.length) return 0;
    const orgIds = [...new Set(overdue.map((r) => r.organisation_id))];
    const members = await currentMembersOf(trx, orgIds);
    const firstMember = new Map<string, string>();
    for (const m of members) if (m.organisation_id && !firstMember.has(m.organisation_id)) firstMember.set(m.organisation_id, m.email);
    const stamp = nowIso();
    let sent = 0;
    for (const r of overdue) {
      const to = r.contact_email || firstMember.get(r.organisation_id);
      if (!to) continue;
      await queueEmail(trx, {
        to,
        subject: `Reminder: your ${r.kind === "final" ? "final" : "progress"} report for ${r.title || r.proposal_reference} is overdue`,
        text: [
          `Hello ${r.organisation_name},`,
          "",
          `Your ${r.kind === "final" ? "final" : "progress"} report for award ${r.award_reference} was due on ${formatDate(r.due_on)}. Please submit it as soon as you can.`,
          "",
          `Submit the report: ${getEnv().APP_URL}/awards/${r.award_id}/reports/${r.id}`,
        ].join("\n"),
      });
      await trx.updateTable("monitoring_report").set({ reminded_at: stamp }).where("id", "=", r.id).execute();
      await appendAuditEvent(trx, {
        actor: admin.id,
        action: "monitoring_report.reminder_sent",
        entityType: "monitoring_report",
        entityId: r.id,
        before: { reminded_at: r.reminded_at },
        after: { reminded_at: stamp, to },
      });
      sent += 1;
    }
    return sent;
  });
}
