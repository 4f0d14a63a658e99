import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { DB } from "../../db/client";
import type { Submission } from "~/domain/submissions";
import { getTeam, type Team } from "~/models/community-team.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { readVerifiedForm } from "./csrf.server";
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

/**
 * A team page's form: the CSRF check first, then the team's access, then the
 * form's schema, then the service `write`; back to `path` under the team with
 * ?added=1, or 400 with the field errors and what was typed.
 */
export async function submitTeamForm<S extends z.ZodTypeAny>(
  { request, params }: ActionFunctionArgs,
  schema: S,
  write: (db: DB, user: SessionUser, teamId: string, data: z.output<S>, submission: Submission | null) => Promise<unknown>,
  path: string,
) {
  const form = await readVerifiedForm(request);
  const { user, team } = await requireTeamAccess(request, params.teamId);
  return submitForm(form, schema, async (data) => {
    await write(getDb(), user, team.id, data, data.submission);
    return redirect(`/teams/${team.id}${path}?added=1`, 303);
  });
}
