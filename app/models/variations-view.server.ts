import type { DB } from "../../db/client";
import { formatPence } from "~/domain/money";
import { describeChange, type AwardVersionRow, type VariationChange, type VariationRow } from "~/domain/monitoring";
import { formatDate } from "~/domain/phases";
import { listAwardVersions, listVariations, type AwardFacts } from "./monitoring.server";

const terms = (amount: string, end: string) => `Current terms: ${amount}${end ? `, ending ${end}` : ""}.`;

const safeJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** What the group's and the administrator's variations pages both show. Server only (called from loaders). */
export async function variationsView(db: DB, award: AwardFacts) {
  const [variations, versions] = await Promise.all([listVariations(db, award.id), listAwardVersions(db, award.id)]);
  return {
    award: { id: award.id, reference: award.reference, title: award.title, organisation: award.organisation_name, status: award.status },
    currentTerms: terms(formatPence(award.amount_pence), formatDate(award.end_date)),
    variations: variations.map((v): VariationRow => ({
      id: v.id,
      status: v.status,
      change: describeChange(safeJson<VariationChange>(v.requested_change, { scope: "" }), formatPence),
      reason: v.reason,
      requestedOn: formatDate(v.requested_at),
      decidedOn: v.decided_at ? formatDate(v.decided_at) : null,
      note: v.decision_note,
    })),
    versions: versions.map((v): AwardVersionRow => {
      const snap = safeJson<{ amount_pence?: number; end_date?: string | null }>(v.snapshot, {});
      return {
        id: v.id,
        version: v.version,
        amount: typeof snap.amount_pence === "number" ? formatPence(snap.amount_pence) : "",
        endDate: snap.end_date ? formatDate(snap.end_date) : "",
        reason: v.reason,
        createdOn: formatDate(v.created_at),
      };
    }),
  };
}
