import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getDecisionGroup } from "~/models/directory.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Specialist adviser",
  advising: "You give written input to the panel of",
  none: "You are not yet advising a decision group. Ask the fund administrator.",
  role: "You write input on each proposal, such as feasibility, cost realism and risks. Panel members read it before they score. Advisers never score or vote.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.adviser");
  const group = user.decisionGroupId ? await getDecisionGroup(getDb(), user.decisionGroupId) : null;
  return json({ group: group ?? null });
}

export default function AdviserHome() {
  const { group } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <h1>{copy.title}</h1>
      <p>{group ? `${copy.advising} ${group.name} (${group.fundName}).` : copy.none}</p>
      <p>{copy.role}</p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
