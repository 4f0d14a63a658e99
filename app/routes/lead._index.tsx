import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getOrganisation, listDecisionGroupsForLeadOrg } from "~/models/directory.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Lead organisation",
  groups: "The decision groups you support",
  none: "Your organisation is not yet linked to a decision group. Ask the fund administrator.",
  role: "You help community groups in these areas draft outline proposals, then support or decline them with a statement.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.lead_org");
  const db = getDb();
  const organisationId = user.organisationId;
  const [organisation, groups] = organisationId
    ? await Promise.all([getOrganisation(db, organisationId), listDecisionGroupsForLeadOrg(db, organisationId)])
    : [undefined, []];
  return json({ organisationName: organisation?.name ?? null, groups });
}

export default function LeadHome() {
  const { organisationName, groups } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <h1>{organisationName ?? copy.title}</h1>
      <p>{copy.role}</p>
      <h2>{copy.groups}</h2>
      {groups.length ? (
        <ul className="list-disc pl-6">
          {groups.map((g) => (
            <li key={g.id}>
              <strong>{g.name}</strong> ({g.fundName}): {g.area}
            </li>
          ))}
        </ul>
      ) : (
        <p>{copy.none}</p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
