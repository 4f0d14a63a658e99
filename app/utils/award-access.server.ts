import { requireUser } from "~/auth/guards.server";
import { can } from "~/domain/permissions";
import { awardResource } from "~/models/award.server";
import { getAwardFacts } from "~/models/monitoring.server";
import { getDb } from "./db.server";
import { forbidden, notFound } from "./http.server";

/**
 * The signed-in member of the funded group and their award: 404 when there is
 * no such award, 403 when the policy's award.act says no (another group's, or
 * not acting as a member of a group).
 */
export async function requireAwardMember(request: Request, awardId: string | undefined) {
  const user = await requireUser(request);
  const award = await getAwardFacts(getDb(), awardId ?? "");
  if (!award) throw notFound();
  if (!can(user, "award.act", awardResource(award))) throw forbidden();
  return { user, award };
}
