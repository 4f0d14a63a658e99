import { inTransaction, type DB } from "../../db/client";
import { checkBulkInvitations, sendableRows, type BulkInviteCheck } from "~/domain/bulk-invitations";
import { CsvParseError, parseCsv } from "~/domain/csv";
import { DomainError } from "~/domain/errors";
import { can, type Actor } from "~/domain/permissions";
import type { Submission } from "~/domain/submissions";
import { loadBulkInviteContext } from "~/models/bulk-invitations.server";
import { insertInvitation } from "./accounts.server";
import { onceForSubmission } from "./submissions.server";

/** Parses and checks a bulk invitation file, writing nothing: each row with its problems. */
export async function checkBulkInvitationFile(db: DB, csvText: string, now = new Date()): Promise<BulkInviteCheck> {
  let records: string[][];
  try {
    records = parseCsv(csvText);
  } catch (error) {
    if (error instanceof CsvParseError) return { fileErrors: [error.message], rows: [] };
    throw error;
  }
  const emailColumn = (records[0] ?? []).findIndex((c) => c.trim().toLowerCase() === "email");
  const emails = emailColumn < 0 ? [] : records.slice(1).map((r) => r[emailColumn] ?? "");
  return checkBulkInvitations(records, await loadBulkInviteContext(db, emails, now));
}

class CheckChanged extends Error {
  constructor(readonly check: BulkInviteCheck) {
    super("The file's check changed since it was confirmed");
  }
}

export type BulkInviteOutcome =
  { ok: true; sent: { row: number; email: string; id: string }[]; notSent: BulkInviteCheck["rows"] } | { ok: false; check: BulkInviteCheck };

/**
 * Sends an invitation for every row without a problem, in one transaction,
 * each through insertInvitation (its audit event and email). Rows with a
 * problem are not sent and come back in `notSent`, so none is dropped
 * silently. The file is checked again inside the transaction; if the number
 * of rows that can be sent is no longer the number the administrator
 * confirmed, nothing is sent and the new check comes back instead.
 */
export async function sendBulkInvitations(
  db: DB,
  admin: Actor,
  csvText: string,
  confirmedCount: number,
  options: { submission?: Submission | null; now?: Date } = {},
): Promise<BulkInviteOutcome> {
  if (!can(admin, "invitation.create")) throw new DomainError("Only a fund administrator can invite people.");
  const now = options.now ?? new Date();
  try {
    return await inTransaction(db, (trx) =>
      onceForSubmission(trx, admin.id, options.submission, async (): Promise<BulkInviteOutcome> => {
        const check = await checkBulkInvitationFile(trx, csvText, now);
        const rows = sendableRows(check);
        // Thrown, not returned, so the one-time key is not used up by a refusal.
        if (rows.length === 0 || rows.length !== confirmedCount) throw new CheckChanged(check);
        const sent: { row: number; email: string; id: string }[] = [];
        for (const r of rows) {
          const { id } = await insertInvitation(
            trx,
            admin,
            {
              name: r.name,
              email: r.email,
              role: r.role!,
              constituency: r.constituency,
              decisionGroupId: r.decisionGroupId,
              organisationId: r.organisationId,
              fundId: r.fundId,
            },
            now,
          );
          sent.push({ row: r.row, email: r.email, id });
        }
        return { ok: true, sent, notSent: check.rows.filter((r) => r.errors.length > 0) };
      }),
    );
  } catch (error) {
    if (error instanceof CheckChanged) return { ok: false, check: error.check };
    throw error;
  }
}
