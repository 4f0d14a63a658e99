import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { landingPath } from "~/domain/memberships";

const copy = {
  title: "Grant decisions made with your community",
  intro:
    "Local groups ask for money for a project. A lead organisation near them helps them write their proposal. Then a panel of local people reads each one, gives it marks and decides what to fund. The panel has residents, councillors and people from local charities. Each decision comes with a reason, and we publish the results.",
  steps: [
    "Your group writes a proposal with help from your lead organisation.",
    "The lead organisation backs it, and the fund administrator checks it meets the rules.",
    "The panel says who they know, gives marks, talks it over and votes.",
    "Groups that get money get an offer, help to plan their project, and payments in parts.",
  ],
  stepsTitle: "How it works",
  start: "Create an account for your group",
  signIn: "Sign in",
  home: "Go to your home page",
};

export const meta: MetaFunction = () => [{ title: "Community Grant Decisions" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return json({ home: user ? landingPath(user.memberships) : null });
}

export default function Index() {
  const { home } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <h1>{copy.title}</h1>
      <p className="text-lg">{copy.intro}</p>
      <h2>{copy.stepsTitle}</h2>
      <ol className="mb-8 list-decimal space-y-2 pl-6">
        {copy.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {home ? (
        <Link to={home} className="btn">
          {copy.home}
        </Link>
      ) : (
        <div className="flex flex-wrap gap-4">
          <Link to="/register" className="btn">
            {copy.start}
          </Link>
          <Link to="/login" className="btn-secondary">
            {copy.signIn}
          </Link>
        </div>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
