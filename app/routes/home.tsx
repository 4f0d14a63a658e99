import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { sessionIdOf } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { WearMembershipSchema } from "~/domain/forms/membership";
import { hatLabel, homeOf } from "~/domain/memberships";
import { formatDate } from "~/domain/phases";
import { tasksForMemberships, type MembershipTasks } from "~/models/home.server";
import { wearMembership } from "~/services/memberships.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const copy = {
  title: "Your roles",
  intro: "You take part in more than one way. Choose a role to act under: every page then says which one, and you can come back here to change it.",
  none: "You do not have a role yet.",
  setUpGroup: "Set up your community group",
  setUpGroupHint:
    "If your group already uses the portal, ask one of its members, its lead organisation or the fund administrator to invite you: the invitation adds the group to this account.",
  acting: "You are acting in this role now",
  since: (date: string) => `Since ${date}`,
  go: "Go to this role",
  nothingToDo: "Nothing is waiting for you.",
  tasks: {
    applicant: (t: Extract<MembershipTasks, { kind: "applicant" }>) =>
      [
        t.drafts ? plural(t.drafts, "draft proposal to finish", "draft proposals to finish") : null,
        t.changesRequested
          ? plural(t.changesRequested, "proposal where your lead organisation asked for changes", "proposals where your lead organisation asked for changes")
          : null,
        t.questions ? plural(t.questions, "question from the panel to answer", "questions from the panel to answer") : null,
        t.offers ? plural(t.offers, "grant offer to accept or decline", "grant offers to accept or decline") : null,
      ].filter((x): x is string => x !== null),
    lead_org: (t: Extract<MembershipTasks, { kind: "lead_org" }>) =>
      t.waiting ? [plural(t.waiting, "proposal waiting for your support", "proposals waiting for your support")] : [],
    panel_member: (t: Extract<MembershipTasks, { kind: "panel_member" }>) =>
      !t.hasDeclared
        ? ["Declare your interests for this round before you see the proposals"]
        : t.toScore
          ? [plural(t.toScore, "proposal to score", "proposals to score")]
          : [],
    adviser: (t: Extract<MembershipTasks, { kind: "adviser" }>) =>
      t.toAdvise ? [plural(t.toAdvise, "proposal waiting for your input", "proposals waiting for your input")] : [],
    admin: (t: Extract<MembershipTasks, { kind: "admin" }>) =>
      [
        t.toScreen ? plural(t.toScreen, "supported proposal to screen", "supported proposals to screen") : null,
        t.paymentsToApprove ? plural(t.paymentsToApprove, "payment to approve", "payments to approve") : null,
      ].filter((x): x is string => x !== null),
  },
};

/** The sentences for one membership's tasks. */
function describe(t: MembershipTasks): string[] {
  switch (t.kind) {
    case "applicant":
      return copy.tasks.applicant(t);
    case "lead_org":
      return copy.tasks.lead_org(t);
    case "panel_member":
      return copy.tasks.panel_member(t);
    case "adviser":
      return copy.tasks.adviser(t);
    case "admin":
      return copy.tasks.admin(t);
  }
}

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const tasks = await tasksForMemberships(getDb(), user.id, user.memberships);
  return json({
    roles: user.memberships.map((m, i) => ({
      id: m.id,
      label: hatLabel(m),
      since: formatDate(m.startedAt.slice(0, 10)),
      isActing: m.id === user.membershipId,
      tasks: describe(tasks[i]!),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requireUser(request);
  return submitForm(form, WearMembershipSchema, async ({ membershipId }) => {
    const sessionId = await sessionIdOf(request);
    if (sessionId) await wearMembership(getDb(), sessionId, user.id, membershipId);
    const hat = user.memberships.find((m) => m.id === membershipId);
    return redirect(homeOf(hat?.role ?? null));
  });
}

export default function Home() {
  const { roles } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      <h1>{copy.title}</h1>
      {roles.length === 0 ? (
        <>
          <p>{copy.none}</p>
          <p>
            <Link to="/applicant/group" className="btn">
              {copy.setUpGroup}
            </Link>
          </p>
          <p>{copy.setUpGroupHint}</p>
        </>
      ) : (
        <>
          <p>{copy.intro}</p>
          <ul className="m-0 list-none space-y-4 p-0">
            {roles.map((role) => (
              <li key={role.id} className="panel">
                <h2 className="mt-0 text-xl">{role.label}</h2>
                <p className="text-sm text-slate-700">{copy.since(role.since)}</p>
                {role.tasks.length ? (
                  <ul className="list-disc pl-6">
                    {role.tasks.map((task) => (
                      <li key={task}>{task}</li>
                    ))}
                  </ul>
                ) : (
                  <p>{copy.nothingToDo}</p>
                )}
                {role.isActing ? <p className="font-semibold">{copy.acting}</p> : null}
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="membershipId" value={role.id} />
                  <button type="submit" className={role.isActing ? "btn-secondary" : "btn"}>
                    {copy.go}
                    <span className="sr-only"> as {role.label}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
