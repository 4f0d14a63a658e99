import { getTeam, type Team } from "~/models/community-team.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";
import { requirePermission, requireUser } from "./guards.server";
import type { SessionUser } from "./session.server";

/**
 * The signed-in user and the community team, when the policy lets them work
 * on it (its own members, administrators): 404 for an unknown team, 403 for
 * anyone else, such as a member of another team.
 */
export async function requireTeamAccess(request: Request, teamId: string | undefined): Promise<{ user: SessionUser; team: Team }> {
  const team = await getTeam(getDb(), teamId ?? "");
  if (!team) {
    await requireUser(request);
    throw notFound("We could not find that community team.");
  }
  const user = await requirePermission(request, "community_team.work", { type: "community_team", organisationId: team.organisationId });
  return { user, team };
}
