import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoteContext } from "~/auth/voter-session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ChoicesFieldset } from "~/components/ui/choices-fieldset";
import { ErrorSummary } from "~/components/ui/error-summary";
import { CHOICE_FIELD, choicesFromForm, formatUkDateTime, pointsField } from "~/domain/community-ballot";
import { DomainError } from "~/domain/errors";
import { formatPence } from "~/domain/money";
import { getOwnCountedChoices, listBallotProjects } from "~/models/community-ballot.server";
import { castBallot } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { repeatedValues } from "~/utils/forms";

const copy = {
  title: "Vote",
  closed: "Voting has closed. Thank you to everyone who took part.",
  notOpen: (opens: string) => `The vote opens on ${opens}.`,
  closes: (closes: string) => `Voting closes on ${closes}.`,
  join: "Join the vote with your email",
  code: "Vote with a printed voter code",
  joinIntro: "To vote, first join. You need a postcode in the area. You do not need a password.",
  legend: {
    approval: (k: number) => `Choose up to ${k} projects`,
    points: (n: number, m: number) => `Share out ${n} points. Give points to at least ${m} projects.`,
    knapsack: (budget: string) => `Choose projects that cost ${budget} or less in total`,
  },
  hint: {
    approval: "Tick the projects you want to get money.",
    points: "Give more points to the projects you like most. Leave a box empty for no points.",
    knapsack: "Add up the costs as you go. Your projects must fit the budget.",
  },
  cost: "Cost",
  area: "Area",
  pointsFor: (title: string) => `Points for ${title}`,
  submit: "Send my vote",
  saved: (closes: string) => `Your vote is saved. You can change it until ${closes}. Only your last vote counts.`,
  change: "You have voted. Your choices are ticked below. Change them and send again if you like: only your last vote counts.",
  notJoined: "Join the vote first.",
  summary: {
    approval: (n: number, k: number) => `Your choices: ${n} of ${k}.`,
    points: (used: number, total: number) => `Points given: ${used} of ${total}.`,
    knapsack: (spent: string, budget: string) => `Your choices cost ${spent} of ${budget}.`,
    over: "That is over the limit.",
  },
};

/** With JavaScript, a summary of the choices so far that stays on screen; without it, nothing (the server checks anyway). */
function ChoicesSummary({ text, isOver }: { text: string; isOver: boolean }) {
  return (
    <div
      role="status"
      className={`sticky bottom-0 z-10 mb-4 border-t-4 bg-white p-3 font-semibold ${isOver ? "border-red-700 text-red-800" : "border-slate-700"}`}
    >
      {text} {isOver ? copy.summary.over : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const { fund, ballot, phase, voter } = await getVoteContext(db, request, params.fundId ?? "");
  // Only a voter's own choices, to them; never a count (docs/decisions/0042).
  const [projects, own] = voter ? await Promise.all([listBallotProjects(db, ballot.id), getOwnCountedChoices(db, voter.id)]) : [[], null];
  return json({
    fund,
    phase,
    isVoter: Boolean(voter),
    rules: {
      kind: ballot.kind,
      maxChoices: ballot.max_choices ?? 0,
      pointsTotal: ballot.points_total ?? 0,
      pointsMinProjects: ballot.points_min_projects ?? 0,
      budgetPence: ballot.budget_pence ?? 0,
      opensAt: ballot.opens_at,
      closesAt: ballot.closes_at,
    },
    projects,
    own,
    isSaved: new URL(request.url).searchParams.get("saved") === "1",
  });
}

const BallotFormSchema = z.record(z.union([z.string().max(100), z.array(z.string().max(100)).max(1000)]));

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const form = await readVerifiedForm(request);
  const { fund, ballot, phase, voter } = await getVoteContext(db, request, params.fundId ?? "");
  if (phase !== "open") return formError({ choices: phase === "closed" ? copy.closed : copy.notOpen(formatUkDateTime(ballot.opens_at)) });
  if (!voter) return redirect(`/funds/${fund.id}/vote/join`);
  const projects = await listBallotProjects(db, ballot.id);
  return submitForm(
    form,
    BallotFormSchema,
    async (data) => {
      const read = choicesFromForm(
        ballot.kind,
        projects.map((p) => p.id),
        data,
      );
      if (read.problem !== null) throw new DomainError(read.problem, "choices");
      await castBallot(db, voter.id, fund.id, read.choices);
      return redirect(`/funds/${fund.id}/vote?saved=1`);
    },
    { errorField: "choices" },
  );
}

export default function Ballot() {
  const { fund, phase, isVoter, rules, projects, own, isSaved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const kept = actionData?.values;
  const ticked = new Set(kept ? repeatedValues(kept, CHOICE_FIELD) : Object.keys(own ?? {}));
  const pointsOf = (id: string) => (kept ? (kept[pointsField(id)] ?? "") : own?.[id] ? String(own[id]) : "");
  // The "your choices" summary: read from the form itself, so it matches what will be sent.
  const [isHydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const costOf = new Map(projects.map((p) => [p.id, p.costPence]));
  const tally = (form: HTMLFormElement | null) => {
    if (!form)
      return {
        count: ticked.size,
        points: projects.reduce((sum, p) => sum + (Number(pointsOf(p.id)) || 0), 0),
        spent: [...ticked].reduce((sum, id) => sum + (costOf.get(id) ?? 0), 0),
      };
    const data = new FormData(form);
    const ids = data.getAll(CHOICE_FIELD).map(String);
    return {
      count: ids.length,
      points: projects.reduce((sum, p) => sum + (Number(data.get(pointsField(p.id))) || 0), 0),
      spent: ids.reduce((sum, id) => sum + (costOf.get(id) ?? 0), 0),
    };
  };
  const [sofar, setSofar] = useState(() => tally(null));
  const onChange = (event: FormEvent<HTMLFormElement>) => setSofar(tally(event.currentTarget));
  const summary =
    rules.kind === "approval"
      ? { text: copy.summary.approval(sofar.count, rules.maxChoices), isOver: sofar.count > rules.maxChoices }
      : rules.kind === "points"
        ? { text: copy.summary.points(sofar.points, rules.pointsTotal), isOver: sofar.points > rules.pointsTotal }
        : { text: copy.summary.knapsack(formatPence(sofar.spent), formatPence(rules.budgetPence)), isOver: sofar.spent > rules.budgetPence };
  const legend =
    rules.kind === "approval"
      ? copy.legend.approval(rules.maxChoices)
      : rules.kind === "points"
        ? copy.legend.points(rules.pointsTotal, rules.pointsMinProjects)
        : copy.legend.knapsack(formatPence(rules.budgetPence));
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <h1>
        {copy.title}: {fund.name}
      </h1>
      {phase === "closed" ? (
        <p className="panel font-semibold">{copy.closed}</p>
      ) : phase !== "open" ? (
        <p className="font-semibold">{copy.notOpen(formatUkDateTime(rules.opensAt))}</p>
      ) : !isVoter ? (
        <>
          <p>{copy.closes(formatUkDateTime(rules.closesAt))}</p>
          <p>{copy.joinIntro}</p>
          <ul className="space-y-3">
            <li>
              <Link to={`/funds/${fund.id}/vote/join`} className="btn">
                {copy.join}
              </Link>
            </li>
            <li>
              <Link to={`/funds/${fund.id}/vote/code`}>{copy.code}</Link>
            </li>
          </ul>
        </>
      ) : (
        <>
          {isSaved && !actionData ? (
            <p role="status" className="panel font-semibold">
              {copy.saved(formatUkDateTime(rules.closesAt))}
            </p>
          ) : (
            <p>{copy.closes(formatUkDateTime(rules.closesAt))}</p>
          )}
          {own && !isSaved ? <p>{copy.change}</p> : null}
          <Form method="post" noValidate onChange={onChange}>
            <CsrfInput />
            <ChoicesFieldset legend={legend} hint={copy.hint[rules.kind]} error={errors?.choices}>
              <ul className="space-y-4">
                {projects.map((p, i) => {
                  const id = i === 0 ? "choices" : `choice-${p.id}`;
                  const about = `about-${p.id}`;
                  return (
                    <li key={p.id} className="border-l-4 border-slate-300 pl-3">
                      {rules.kind === "points" ? (
                        <>
                          <p className="mb-1 font-semibold">{p.title}</p>
                          <div id={about}>
                            <p className="mb-1">{p.summary}</p>
                            <p className="mb-1">
                              {copy.cost}: {formatPence(p.costPence)}. {copy.area}: {p.area}
                            </p>
                          </div>
                          <label htmlFor={id} className="block">
                            {copy.pointsFor(p.title)}
                          </label>
                          <input
                            id={id}
                            name={pointsField(p.id)}
                            inputMode="numeric"
                            className="input w-24"
                            defaultValue={pointsOf(p.id)}
                            aria-describedby={about}
                          />
                        </>
                      ) : (
                        <div className="flex items-start gap-2">
                          <input
                            type="checkbox"
                            id={id}
                            name={CHOICE_FIELD}
                            value={p.id}
                            defaultChecked={ticked.has(p.id)}
                            aria-describedby={about}
                            className="mt-0.5 h-6 w-6 shrink-0"
                          />
                          <div>
                            <label htmlFor={id} className="font-semibold">
                              {p.title}
                            </label>
                            <div id={about}>
                              <p className="mb-1">{p.summary}</p>
                              <p className="mb-1">
                                {copy.cost}: {formatPence(p.costPence)}. {copy.area}: {p.area}
                              </p>
                            </div>
                          </div>
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            </ChoicesFieldset>
            {isHydrated ? <ChoicesSummary text={summary.text} isOver={summary.isOver} /> : null}
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
