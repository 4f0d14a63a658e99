import { getDb } from "~/utils/db.server";
import { newId, nowIso } from "~/utils/ids.server";
import { makeCriterion as makeAnyCriterion, makeEligibilityQuestion as makeAnyEligibilityQuestion, makeUser } from "../factories";
import { sessionCookieFor } from "./http";

/** A signed-in user of this role, with the cookie their browser would send. */
export async function signedIn(role: "admin" | "applicant" | "lead_org" | "panel_member" | "adviser", organisationId?: string) {
  const user = await makeUser({ role, organisationId: organisationId ?? null });
  return { user, cookie: await sessionCookieFor(user.id) };
}

/** A registered lead organisation with contact details. */
export async function makeLeadOrganisation(overrides: { name?: string; contactEmail?: string } = {}) {
  const org = {
    id: newId(),
    name: overrides.name ?? `Lead organisation ${newId().slice(0, 8)}`,
    kind: "lead_org" as const,
    created_at: nowIso(),
    contact_name: "Ada Contact",
    contact_email: overrides.contactEmail ?? `contact-${newId().slice(0, 8)}@lead.example`,
  };
  await getDb().insertInto("organisation").values(org).execute();
  return org;
}

export function makeEligibilityQuestion(fundId: string, overrides: { position?: number; text?: string } = {}) {
  return makeAnyEligibilityQuestion(fundId, {
    position: overrides.position ?? 0,
    text: overrides.text ?? "Is your group based in the fund's area?",
    ineligibleReason: "This fund is only for groups in its area.",
  });
}

export function makeCriterion(fundId: string, overrides: { position?: number; name?: string } = {}) {
  return makeAnyCriterion(fundId, {
    position: overrides.position ?? 0,
    name: overrides.name ?? "Community need",
    weight: 2,
    guidance: ["", "", "", "", "", ""],
  });
}

/** The audit events for one record, oldest first. */
export function auditTrailOf(entityType: string, entityId: string) {
  return getDb()
    .selectFrom("audit_event")
    .select(["action", "actor", "before", "after"])
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", entityId)
    .orderBy("id")
    .execute();
}

export async function auditCount(): Promise<number> {
  const { n } = await getDb()
    .selectFrom("audit_event")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}
