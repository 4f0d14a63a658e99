import { requireUser } from "~/auth/guards.server";
import { getAwardFacts } from "~/models/monitoring.server";
import { getDb } from "./db.server";
import { forbidden, notFound } from "./http.server";

/**
 * The signed-in member of the funded group and their award: 404 when there is
 * no such award, 403 when it belongs to another group (checked per record).
 */
export async function requireAwardMember(request: Request, awardId: string | undefined) {
  const user = await requireUser(request);
  const award = await getAwardFacts(getDb(), awardId ?? "");
  if (!award) throw notFound();
  if (user.role !== "applicant" || !user.organisationId || user.organisationId !== award.organisation_id) throw forbidden();
  return { user, award };
}
