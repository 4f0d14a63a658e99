import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { landingPath } from "~/domain/memberships";

const copy = {
  title: "Grant decisions made with your community",
  intro:
    "Community groups put forward outline proposals with the support of a local lead organisation. Panels of residents, councillors and voluntary-sector members then read them, score them, meet and decide which to fund. Every decision comes with a written reason, and results are published.",
  steps: [
    "Community groups draft outline proposals with their lead organisation.",
    "The lead organisation supports the proposal, and the fund administrator checks it is eligible.",
    "A decision panel declares its interests, scores, deliberates and votes.",
    "Funded groups get an offer, support to refine their project, and payments in instalments.",
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
