import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getOrganisation } from "~/models/directory.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Your community group",
  group: "Your group",
  noGroup: "You have not set up your group's profile yet.",
  next: "What happens next",
  nextBody:
    "You draft an outline proposal and submit it to your area's lead organisation. They can ask for changes, then support it. The fund administrator checks it is eligible before a decision panel reviews it.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.applicant");
  const organisation = user.organisationId ? await getOrganisation(getDb(), user.organisationId) : null;
  return json({ name: user.name, organisation: organisation ?? null });
}

export default function ApplicantHome() {
  const { name, organisation } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <h1>{copy.title}</h1>
      <p>Welcome, {name}.</p>
      <h2>{copy.group}</h2>
      <p>{organisation ? organisation.name : copy.noGroup}</p>
      <h2>{copy.next}</h2>
      <p>{copy.nextBody}</p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
