import type { DB } from "../../db/client";
import { CsvParseError, parseCsv } from "~/domain/csv";
import { can, type Actor } from "~/domain/permissions";
import { IMPORTED_STATUS, validateImport, type ImportContext, type ImportRow } from "~/domain/proposal-import";
import { appendAuditEvent } from "~/models/audit.server";
import { rowOf } from "~/models/proposal.server";
import { newId, nowIso } from "~/utils/ids.server";
import { notifyLeadOrganisations } from "./notifications.server";
import { nextReference } from "./proposals.server";
import type { Submission } from "~/domain/submissions";
import { inTransactionOnce } from "./submissions.server";

export type ImportOutcome =
  | { ok: true; imported: { id: string; reference: string; title: string; row: number }[]; createdGroups: string[]; warnings: string[] }
  | { ok: false; errors: string[] }
  /** Every row passed, but some would create a group whose name is close to an existing group's: nothing is written until that is confirmed. */
  | { ok: false; errors: []; warnings: string[]; needsConfirmation: true };

async function loadContext(trx: DB): Promise<ImportContext> {
  const [groups, organisations, existing] = await Promise.all([
    trx
      .selectFrom("decision_group")
      .innerJoin("fund", "fund.id", "decision_group.fund_id")
      .select([
        "decision_group.id",
        "decision_group.name",
        "fund.name as fundName",
        "decision_group.min_grant_pence",
        "decision_group.max_grant_pence",
        "decision_group.pot_pence",
      ])
      .execute(),
    trx.selectFrom("organisation").select(["id", "name", "kind", "registration_number", "charity_number", "company_number"]).execute(),
    trx
      .selectFrom("proposal")
      .innerJoin("organisation", "organisation.id", "proposal.organisation_id")
      .select(["proposal.reference", "proposal.decision_group_id", "proposal.title", "organisation.name"])
      .where("proposal.status", "!=", "withdrawn")
      .execute(),
  ]);
  return {
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      fundName: g.fundName,
      minGrantPence: g.min_grant_pence,
      maxGrantPence: g.max_grant_pence,
      potPence: g.pot_pence,
    })),
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, kind: o.kind, numbers: [o.registration_number, o.charity_number, o.company_number] })),
    existing: existing.map((p) => ({ reference: p.reference, decisionGroupId: p.decision_group_id, organisationName: p.name, title: p.title })),
  };
}

/** Parses and checks a CSV without writing anything: every problem, row by row, or the rows that would be imported. */
export async function checkProposalImport(
  db: DB,
  csvText: string,
): Promise<{ ok: true; rows: ImportRow[]; warnings: string[] } | { ok: false; errors: string[] }> {
  let records: string[][];
  try {
    records = parseCsv(csvText);
  } catch (error) {
    if (error instanceof CsvParseError) return { ok: false, errors: [error.message] };
    throw error;
  }
  return validateImport(records, await loadContext(db));
}

/**
 * Imports every row or none: the rows are checked inside the one write
 * transaction, so nothing is written unless every row passes. Creates a
 * minimal community group for a group not yet known (one per group, however
 * its rows spell the name), keeps version 1 of each proposal, records who
 * imported it, and writes an audit event per record. A new group whose name
 * is close to an existing group's is created only once `areWarningsAccepted`.
 */
export async function importProposals(
  db: DB,
  admin: Actor,
  csvText: string,
  options: { areWarningsAccepted?: boolean; submission?: Submission | null } = {},
): Promise<ImportOutcome> {
  if (!can(admin, "proposal.import")) return { ok: false, errors: ["Only the fund administrator can import proposals."] };
  let records: string[][];
  try {
    records = parseCsv(csvText);
  } catch (error) {
    if (error instanceof CsvParseError) return { ok: false, errors: [error.message] };
    throw error;
  }
  return inTransactionOnce(db, admin.id, options.submission, async (trx) => {
    const checked = validateImport(records, await loadContext(trx));
    if (!checked.ok) return checked;
    if (checked.warnings.length && !options.areWarningsAccepted)
      return { ok: false as const, errors: [] as [], warnings: checked.warnings, needsConfirmation: true as const };
    const stamp = nowIso();
    const createdOrgIds = new Map<string, string>();
    const createdGroups: string[] = [];
    const imported: { id: string; reference: string; title: string; row: number }[] = [];
    for (const row of checked.rows) {
      let organisationId = row.organisationId ?? row.newGroupKeys.map((k) => createdOrgIds.get(k)).find(Boolean) ?? null;
      if (!organisationId) {
        const org = {
          id: newId(),
          name: row.communityGroupName,
          kind: "community_group" as const,
          created_at: stamp,
          org_type: null,
          registration_number: row.registrationNumber,
          address: null,
          postcode: null,
          contact_name: null,
          contact_email: row.contactEmail,
          contact_phone: null,
          created_by: admin.id,
        };
        await trx.insertInto("organisation").values(org).execute();
        await appendAuditEvent(trx, { actor: admin.id, action: "organisation.created_by_import", entityType: "organisation", entityId: org.id, after: org });
        for (const key of row.newGroupKeys) createdOrgIds.set(key, org.id);
        createdGroups.push(org.name);
        organisationId = org.id;
      }
      const id = newId();
      const proposal = {
        id,
        reference: await nextReference(trx),
        decision_group_id: row.decisionGroupId,
        organisation_id: organisationId,
        status: IMPORTED_STATUS,
        ...rowOf(row.content),
        eligibility_answers: "{}",
        prepared_by_organisation_id: null,
        group_confirmation: null,
        created_by: admin.id,
        imported_by: admin.id,
        created_at: stamp,
        updated_at: stamp,
        submitted_at: stamp,
        version: 1,
      };
      await trx.insertInto("proposal").values(proposal).execute();
      await trx
        .insertInto("proposal_version")
        .values({ id: newId(), proposal_id: id, version: 1, snapshot: JSON.stringify(row.content), submitted_by: admin.id, submitted_at: stamp })
        .execute();
      await appendAuditEvent(trx, {
        actor: admin.id,
        action: "proposal.imported",
        entityType: "proposal",
        entityId: id,
        after: { ...proposal, csv_row: row.row },
      });
      await notifyLeadOrganisations(
        trx,
        row.decisionGroupId,
        { id, reference: proposal.reference, title: row.content.title },
        "Proposal imported",
        `${row.content.title} (${proposal.reference}) from ${row.communityGroupName} was gathered offline and added to the portal for ${row.decisionGroupName}. Read it and support it, ask for changes, or decline it.`,
      );
      imported.push({ id, reference: proposal.reference, title: row.content.title, row: row.row });
    }
    return { ok: true as const, imported, createdGroups, warnings: checked.warnings };
  });
}
