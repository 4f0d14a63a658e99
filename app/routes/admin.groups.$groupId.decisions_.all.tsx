import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireGroupAccess } from "~/auth/group-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { GroupDecisionNav } from "~/components/group-decision-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { DEPARTURE_REASON_LABEL } from "~/domain/decision-departures";
import { DECISION_OUTCOMES, OUTCOME_LABELS, remainingPot } from "~/domain/decisions";
import { GroupDecisionsSchema, prefilledDecision, rowField, RowProblems } from "~/domain/group-decisions";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { decisionRefusal } from "~/domain/scoring-guards";
import { fundedTotalOf, latestRecommendation } from "~/models/decision.server";
import { latestPanelVotes } from "~/models/decision-departures.server";
import { listCriteria } from "~/models/fund.server";
import { hiddenFrom } from "~/models/group-results.server";
import { listAwaitingDecision } from "~/models/group-decisions.server";
import { recordGroupDecisions } from "~/services/decisions.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";

const copy = {
  title: "Record all decisions in one step",
  intro:
    "Each proposal waiting for a decision is filled in from the allocation the panel chose. Check each one, change what you need, and record them all with one button. Each group is told its decision and reason.",
  chosen: (date: string) => `Filled in from the allocation chosen on ${date}.`,
  seeAllocation: "See the allocation",
  noRecommendation: "Choose an allocation first. The decisions are filled in from it.",
  goToAllocation: "Go to the allocation recommendation",
  none: "No proposals are waiting for a decision.",
  back: "Back to decisions",
  money: (pot: number, funded: number, left: number) =>
    `The pot is ${formatPence(pot)}. Decisions so far fund ${formatPence(funded)}, so ${formatPence(left)} is left.`,
  hidden: (n: number) =>
    `${n} ${n === 1 ? "proposal is" : "proposals are"} not listed because you declared an interest in ${n === 1 ? "it" : "them"}. The fund administrator decides ${n === 1 ? "it" : "them"}.`,
  asks: (pence: number | null) => (pence === null ? "Asks for: not given." : `Asks for ${formatPence(pence)}.`),
  inAllocation: (pence: number) => `The chosen allocation funds it with ${formatPence(pence)}.`,
  notInAllocation: "The chosen allocation does not fund it.",
  vote: (v: { outcome: string; fund: number; dontFund: number }) =>
    `The panel voted ${v.outcome === "fund" ? "to fund" : "not to fund"} (${v.fund} to ${v.dontFund}).`,
  departs: "This goes against the panel's vote. Write why in the last box, or change the decision.",
  for: (ref: string) => ` for ${ref}`,
  outcome: "Decision",
  amount: "Amount to fund, in pounds",
  amountHint: "Only for funded.",
  conditions: "Conditions (optional)",
  conditionsHint: "Only for funded. What the group must do before money is paid.",
  reason: "Reason",
  reasonHint: "The group reads this. You may change it.",
  departureReason: DEPARTURE_REASON_LABEL,
  departureReasonHint: "Only when the decision goes against the panel's vote or the allocation. It is published. Do not name panel members.",
  submit: (n: number) => `Record all ${n} ${n === 1 ? "decision" : "decisions"} and tell the groups`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, group, canDecide, canSeeScores } = await requireGroupAccess(request, params.groupId, "decision.record");
  const db = getDb();
  const [proposals, recommendation, votes, hidden, criteria, fundedPence] = await Promise.all([
    listAwaitingDecision(db, group.id),
    latestRecommendation(db, group.id),
    latestPanelVotes(db, group.id),
    hiddenFrom(db, user, group.id),
    listCriteria(db, group.fund_id),
    fundedTotalOf(db, group.id),
  ]);
  // The recommendation is ranked by scores: it fills nothing in until the viewer may see them (scoring closed).
  const chosen = canSeeScores ? recommendation : null;
  const rows = proposals
    .filter((p) => !hidden.has(p.id))
    .map((p) => {
      const panelVote = votes.get(p.id)?.vote ?? null;
      const recommendedPence = chosen ? (chosen.amounts[p.id] ?? null) : null;
      return {
        id: p.id,
        reference: p.reference,
        title: p.title,
        status: p.status,
        askPence: p.amount_requested_pence,
        recommendedPence,
        panelVote,
        prefilled: prefilledDecision({ recommendedPence, panelVote }),
      };
    });
  return json({
    group: { id: group.id, name: group.name, fundName: group.fund_name, potPence: group.pot_pence },
    canDecide,
    scoringRefusal: decisionRefusal({ scoringClosedAt: group.scoring_closed_at, usesScoring: criteria.length > 0 }),
    recommendationAt: chosen?.at ?? null,
    fundedPence,
    leftPence: remainingPot({ potPence: group.pot_pence, alreadyFundedPence: fundedPence }),
    hiddenCount: proposals.length - rows.length,
    rows,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, group } = await requireGroupAccess(request, params.groupId, "decision.record");
  return submitForm(form, GroupDecisionsSchema, async (data, values) => {
    try {
      await recordGroupDecisions(getDb(), user, group.id, data.decisions, data.submission);
    } catch (error) {
      // Every row's problem on its own field, and everything typed kept.
      if (error instanceof RowProblems) return formError({ form: error.message, ...error.errors }, values);
      throw error;
    }
    return redirect(`/admin/groups/${group.id}/decisions?done=all`);
  });
}

export default function GroupDecisionsInOneStep() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { group } = data;
  const errors = actionData?.errors ?? {};
  const sent = actionData?.values ?? null;
  // After a 400, each proposal keeps what was typed for it, found by its id (the list may have changed since).
  const sentIndex = new Map<string, number>();
  for (let i = 0; sent && sent[rowField(i, "proposalId")] !== undefined; i += 1) sentIndex.set(sent[rowField(i, "proposalId")]!, i);
  const canShowForm = !data.scoringRefusal && data.recommendationAt && data.rows.length > 0;
  return (
    <div>
      <ErrorSummary errors={actionData?.errors} />
      <GroupDecisionNav groupId={group.id} groupName={group.name} fundName={group.fundName} canDecide={data.canDecide} />
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <p className="max-w-3xl">{copy.money(group.potPence, data.fundedPence, data.leftPence)}</p>
      {data.hiddenCount ? <p role="note">{copy.hidden(data.hiddenCount)}</p> : null}
      {data.scoringRefusal ? (
        <p role="note" className="panel max-w-3xl font-semibold">
          {data.scoringRefusal}
        </p>
      ) : !data.recommendationAt ? (
        <div className="panel max-w-3xl">
          <p>{copy.noRecommendation}</p>
          <Link to={`/admin/groups/${group.id}/allocation`}>{copy.goToAllocation}</Link>
        </div>
      ) : data.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <p>
          {copy.chosen(formatDate(data.recommendationAt))} <Link to={`/admin/groups/${group.id}/allocation`}>{copy.seeAllocation}</Link>
        </p>
      )}

      {canShowForm ? (
        <Form method="post" noValidate className="max-w-3xl">
          <CsrfInput />
          {data.rows.map((row, index) => {
            const from = sentIndex.get(row.id);
            const value = (field: string, fallback: string) => (from !== undefined ? (sent?.[rowField(from, field)] ?? "") : fallback);
            const error = (field: string) => (from !== undefined ? errors[rowField(from, field)] : undefined);
            const name = (field: string) => rowField(index, field);
            const forRow = <span className="sr-only">{copy.for(row.reference)}</span>;
            return (
              <section key={row.id} aria-labelledby={`row-${row.id}`} className="my-6 border-2 border-slate-300 p-4">
                <h2 id={`row-${row.id}`} className="mt-0 text-xl">
                  {row.reference}
                  {row.title ? `: ${row.title}` : ""}
                </h2>
                <p>
                  {copy.asks(row.askPence)} {row.recommendedPence !== null ? copy.inAllocation(row.recommendedPence) : copy.notInAllocation}{" "}
                  {row.panelVote ? copy.vote(row.panelVote) : null}
                </p>
                {row.prefilled.departures.some((d) => d.from === "vote") ? <p className="font-semibold">{copy.departs}</p> : null}
                <input type="hidden" name={name("proposalId")} value={row.id} />
                <RadioGroup
                  name={name("outcome")}
                  label={
                    <>
                      {copy.outcome}
                      {forRow}
                    </>
                  }
                  error={error("outcome")}
                  defaultValue={value("outcome", row.prefilled.outcome)}
                  options={DECISION_OUTCOMES.filter((o) => !(o === "reserve" && row.status === "reserve")).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
                />
                <TextField
                  name={name("amount")}
                  label={
                    <>
                      {copy.amount}
                      {forRow}
                    </>
                  }
                  hint={copy.amountHint}
                  error={error("amount")}
                  defaultValue={value("amount", row.prefilled.amount)}
                  inputMode="decimal"
                  autoComplete="off"
                  className="max-w-xs"
                />
                <TextareaField
                  name={name("reason")}
                  label={
                    <>
                      {copy.reason}
                      {forRow}
                    </>
                  }
                  hint={copy.reasonHint}
                  error={error("reason")}
                  defaultValue={value("reason", row.prefilled.reason)}
                  rows={2}
                />
                <TextareaField
                  name={name("conditions")}
                  label={
                    <>
                      {copy.conditions}
                      {forRow}
                    </>
                  }
                  hint={copy.conditionsHint}
                  error={error("conditions")}
                  defaultValue={value("conditions", "")}
                  rows={2}
                />
                <TextareaField
                  name={name("departureReason")}
                  label={
                    <>
                      {copy.departureReason}
                      {forRow}
                    </>
                  }
                  hint={copy.departureReasonHint}
                  error={error("departureReason")}
                  defaultValue={value("departureReason", "")}
                  rows={2}
                />
              </section>
            );
          })}
          <div className="flex flex-wrap items-center gap-4">
            <button type="submit" className="btn">
              {copy.submit(data.rows.length)}
            </button>
            <Link to={`/admin/groups/${group.id}/decisions`}>{copy.back}</Link>
          </div>
        </Form>
      ) : (
        <p>
          <Link to={`/admin/groups/${group.id}/decisions`}>{copy.back}</Link>
        </p>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
