import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { FundFields } from "~/components/fund-fields";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { FundSchema } from "~/domain/forms/fund";
import { DECISION_METHOD_LABELS, usesBallot } from "~/domain/community-ballot";
import { FUND_TYPE_LABELS, PHASES } from "~/domain/fund";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { countFundParts, getFund, sumOfPots } from "~/models/fund.server";
import { getRoundLinks } from "~/models/rounds.server";
import { updateFund } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  summary: "Summary",
  type: "Type",
  budget: "Total budget",
  allocated: "Allocated to decision groups' pots",
  unallocated: "Not yet allocated",
  status: "Status",
  decisionMethod: "Who decides",
  ballot: "Community vote: its rules, the postcode list, opening it and printed voter codes",
  published: "Published: anyone can read it",
  unpublished: "Not published: only administrators can see it",
  notSet: "Not set",
  setUp: "Set up",
  questions: (n: number) => `Eligibility questions (${n})`,
  criteria: (n: number) => `Scoring criteria (${n})`,
  groups: (n: number) => `Decision groups (${n})`,
  panelRules: "Panel rules: scoring scale, voting, tie rule, quorum and composition",
  awardSettings: "Payments and open data: second-approval threshold and 360Giving identifiers",
  preview: "See the fund's public page",
  results: "Results, allocation and decisions; publish the results",
  youSaidWeDid: "You said, we did: what changed because of people's feedback",
  evaluation: "Evaluation: the survey after decisions, and how the round ran",
  equality: "Who took part (equality monitoring): questions, the area's figures and the report",
  edit: "Change the details and phases",
  rounds: "Rounds",
  copiedFrom: "This round was started from ",
  invitePanelBack: "Invite last round's panel back",
  nextRound: "Next round: ",
  startNextRound: "Start the next round",
  startNextRoundHint: ": a copy of this fund's set-up with new dates and money, without its proposals or panels",
  submit: "Save changes",
  done: {
    created: "Fund created. Now add its eligibility questions, scoring criteria and decision groups.",
    saved: "Changes saved.",
    round_started: "The next round is set up and not published. Check its details, then invite last round's panel back.",
  } as Record<string, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, parts, allocated, rounds] = await Promise.all([
    getFund(db, fundId),
    countFundParts(db, fundId),
    sumOfPots(db, fundId),
    getRoundLinks(db, fundId),
  ]);
  if (!fund) throw notFound();
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return json({ fund, parts, allocated, rounds, done: copy.done[done] ? done : null });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  if (!(await getFund(getDb(), fundId))) throw notFound();
  return submitForm(form, FundSchema, async (data) => {
    await updateFund(getDb(), admin, fundId, data);
    return redirect(`/admin/funds/${fundId}?done=saved`);
  });
}

export default function FundOverview() {
  const { fund, parts, allocated, rounds, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? {
    name: fund.name,
    purpose: fund.purpose,
    type: fund.type,
    budget: penceToPoundsInput(fund.budget_pence),
    opensOn: fund.opens_on ?? "",
    closesOn: fund.closes_on ?? "",
    reviewOn: fund.review_on ?? "",
    decisionsOn: fund.decisions_on ?? "",
    awardsOn: fund.awards_on ?? "",
    isPublished: fund.is_published ? "yes" : "no",
    decisionMethod: fund.decision_method,
  };
  const rows: [string, string][] = [
    [copy.type, FUND_TYPE_LABELS[fund.type]],
    [copy.budget, formatPence(fund.budget_pence)],
    [copy.allocated, formatPence(allocated)],
    [copy.unallocated, formatPence(Math.max(0, fund.budget_pence - allocated))],
    [copy.status, fund.is_published ? copy.published : copy.unpublished],
    [copy.decisionMethod, DECISION_METHOD_LABELS[fund.decision_method]],
    ...PHASES.map((p): [string, string] => [p.label, formatDate(fund[p.column]) || copy.notSet]),
  ];
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{fund.name}</h1>
      <p className="whitespace-pre-line">{fund.purpose}</p>
      <h2>{copy.summary}</h2>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-semibold">{label}</dt>
            <dd className="mb-2">{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{copy.setUp}</h2>
      <ul className="list-disc space-y-1 pl-6">
        <li>
          <Link to={`/admin/funds/${fund.id}/eligibility`}>{copy.questions(parts.questions)}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/criteria`}>{copy.criteria(parts.criteria)}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/groups`}>{copy.groups(parts.groups)}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/panel-rules`}>{copy.panelRules}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/award-settings`}>{copy.awardSettings}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/results`}>{copy.results}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/you-said-we-did`}>{copy.youSaidWeDid}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/evaluation`}>{copy.evaluation}</Link>
        </li>
        <li>
          <Link to={`/admin/funds/${fund.id}/equality`}>{copy.equality}</Link>
        </li>
        {usesBallot(fund.decision_method) ? (
          <li>
            <Link to={`/admin/funds/${fund.id}/ballot`}>{copy.ballot}</Link>
          </li>
        ) : null}
        <li>
          <Link to={`/funds/${fund.id}`}>{copy.preview}</Link>
        </li>
      </ul>
      <h2>{copy.rounds}</h2>
      <ul className="list-disc space-y-1 pl-6">
        {rounds.previous ? (
          <>
            <li>
              {copy.copiedFrom}
              <Link to={`/admin/funds/${rounds.previous.id}`}>{rounds.previous.name}</Link>
            </li>
            <li>
              <Link to={`/admin/funds/${fund.id}/invite-panel-back`}>{copy.invitePanelBack}</Link>
            </li>
          </>
        ) : null}
        {rounds.next ? (
          <li>
            {copy.nextRound}
            <Link to={`/admin/funds/${rounds.next.id}`}>{rounds.next.name}</Link>
          </li>
        ) : (
          <li>
            <Link to={`/admin/funds/${fund.id}/next-round`}>{copy.startNextRound}</Link>
            {copy.startNextRoundHint}
          </li>
        )}
      </ul>
      <h2>{copy.edit}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <FundFields values={values} errors={actionData?.errors} />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
