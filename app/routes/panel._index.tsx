import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CONSTITUENCY_LABELS } from "~/domain/roles";
import { getDecisionGroup } from "~/models/directory.server";
import { getDb } from "~/utils/db.server";
import { formatPence } from "~/domain/money";

const copy = {
  title: "Your decision panel",
  sitsAs: "You sit on this panel as a",
  pot: "Ring-fenced pot",
  grants: "Grants from",
  none: "You are not yet on a decision group's panel. Ask the fund administrator.",
  role: "Before you see any proposal you declare your interests. You then score each proposal on your own, meet with the panel, and vote.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.panel_member");
  const group = user.decisionGroupId ? await getDecisionGroup(getDb(), user.decisionGroupId) : null;
  return json({ constituency: user.constituency ? CONSTITUENCY_LABELS[user.constituency] : null, group: group ?? null });
}

export default function PanelHome() {
  const { constituency, group } = useLoaderData<typeof loader>();
  if (!group) {
    return (
      <div className="max-w-3xl">
        <h1>{copy.title}</h1>
        <p>{copy.none}</p>
      </div>
    );
  }
  return (
    <div className="max-w-3xl">
      <h1>
        {copy.title}: {group.name}
      </h1>
      <p>
        {copy.sitsAs} <strong>{constituency?.toLowerCase()}</strong>. {group.fundName}, {group.area}.
      </p>
      <dl className="mb-6 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-semibold">{copy.pot}</dt>
        <dd>{formatPence(group.pot_pence)}</dd>
        <dt className="font-semibold">{copy.grants}</dt>
        <dd>
          {formatPence(group.min_grant_pence)} to {formatPence(group.max_grant_pence)}
        </dd>
      </dl>
      <p>{copy.role}</p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
