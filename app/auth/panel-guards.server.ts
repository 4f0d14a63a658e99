import { redirect } from "@remix-run/node";
import { getInterestsDeclaredAt } from "~/models/scoring.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "./guards.server";
import type { SessionUser } from "./session.server";

export const INTERESTS_PATH = "/panel/interests";

/**
 * A panel member of a decision group who has declared their interests.
 * Throws 403 for anyone else, and a redirect to the interests page until
 * they have declared (even "nothing to declare").
 */
export async function requireDeclaredPanelMember(request: Request): Promise<SessionUser & { decisionGroupId: string }> {
  const user = await requirePermission(request, "panel.take_part");
  const declaredAt = await getInterestsDeclaredAt(getDb(), user.membershipId);
  if (!declaredAt) throw redirect(INTERESTS_PATH);
  return user as SessionUser & { decisionGroupId: string };
}
