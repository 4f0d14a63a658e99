import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireGroupAccess } from "~/auth/group-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { GroupDecisionNav } from "~/components/group-decision-nav";
import { formatNumber, ResidentsVoteNote } from "~/components/group-results-view";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { Pagination } from "~/components/ui/pagination";
import { RadioGroup, SelectField, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { DECISION_OUTCOMES, OUTCOME_LABELS, remainingPot, type DecisionOutcome } from "~/domain/decisions";
import { DEPARTURE_REASON_LABEL, type Departure } from "~/domain/decision-departures";
import { DecisionSchema } from "~/domain/forms/decision";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { decisionRefusal } from "~/domain/scoring-guards";
import { fundedTotalOf, latestRecommendation, listGroupDecisions } from "~/models/decision.server";
import { latestPanelVotes } from "~/models/decision-departures.server";
import { listCriteria } from "~/models/fund.server";
import { AWAITING_DECISION, listPanelProposals } from "~/models/group-decisions.server";
import { hiddenFrom } from "~/models/group-results.server";
import { listMeetings } from "~/models/meeting.server";
import { meanScores } from "~/models/group-score-summary.server";
import { getResidentsVoteAdviceView } from "~/models/residents-vote.server";
import { recordDecision } from "~/services/decisions.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { forbidden } from "~/utils/http.server";
import { pageFrom } from "~/utils/pagination";

const copy = {
  title: "Decisions",
  intro:
    "Record the panel's decision on each proposal: funded (with the amount and any conditions), not funded, or the reserve list. Every decision needs a written reason, which goes to the applicant group with any feedback you add. Never name who scored or said what.",
  money: "Money",
  pot: "Pot",
  funded: "Funded so far",
  left: "Left in the pot",
  grants: "Grant range",
  range: (min: number, max: number) => `${formatPence(min)} to ${formatPence(max)}`,
  recommended: (date: string) => `Amounts are pre-filled from the allocation recommendation chosen on ${date}.`,
  noRecommendation: "No allocation recommendation has been chosen yet.",
  seeAllocation: "See the allocation recommendation",
  scoresWaiting:
    "Mean scores and the allocation recommendation appear here once scoring has closed for the group, so that nobody's scores are influenced by anyone else's.",
  awaiting: "Awaiting a decision",
  awaitingCaption: "Proposals awaiting a decision",
  awaitingColumns: ["Reference", "Proposal", "Status", "Mean score", "Asks for", "Recommended", "Decision"],
  notRecommended: "Not in the recommendation",
  decide: "Record the decision",
  decideAgain: "Decide again",
  for: (ref: string) => ` on ${ref}`,
  noneAwaiting: "No proposals are awaiting a decision.",
  allAtOnce: (n: number) => `Record all ${n} decisions in one step`,
  decided: "Decided",
  decidedCaption: "Proposals decided",
  decidedColumns: ["Reference", "Proposal", "Decision", "Amount", "Reason", "Date"],
  noneDecided: "No decisions yet.",
  decidedCount: (from: number, to: number, total: number) => `Showing ${from} to ${to} of ${total} decisions, by reference.`,
  notQuorate: "Recorded at a meeting that was not quorate",
  hidden: (n: number) =>
    `${n} ${n === 1 ? "proposal is" : "proposals are"} not listed because you declared an interest in ${n === 1 ? "it" : "them"}. The fund administrator decides ${n === 1 ? "it" : "them"}.`,
  formTitle: (ref: string, title: string) => `Decision on ${ref}${title ? `: ${title}` : ""}`,
  asks: (pence: number | null) => (pence === null ? "The group did not say how much it asks for." : `The group asks for ${formatPence(pence)}.`),
  floor: (pence: number) => `It said it could accept as little as ${formatPence(pence)}.`,
  panelVote: (v: { outcome: string; fund: number; dontFund: number }, meeting: string) =>
    `At "${meeting}" the panel voted ${v.outcome === "fund" ? "to fund" : "not to fund"} (${v.fund} to fund, ${v.dontFund} not to fund). A different decision needs the reason it differs, below.`,
  outcome: "Decision",
  amount: "Amount to fund, in pounds",
  amountHint: (min: number, max: number, left: number) =>
    `Only for funded. Between ${formatPence(min)} and ${formatPence(max)}, no more than the group asked for, and no more than the ${formatPence(left)} left in the pot.`,
  conditions: "Conditions",
  conditionsHint: "Only for funded. What the group must do before money is paid, for example get planning permission. Leave empty if none.",
  reason: "Reason",
  reasonHint: "Required for every decision. The applicant group reads it, so write in plain English why the panel decided this.",
  feedback: "Feedback from the panel (optional)",
  feedbackHint:
    "A summary of the panel's discussion that may help the group, for example what was strong and what could be better. Do not name panel members or give anyone's scores.",
  meeting: "Meeting where this was decided (optional)",
  meetingHint:
    "The meeting's vote on this proposal, its attendance and whether it was quorate are recorded with the decision. A decision at a meeting that was not quorate is recorded and flagged.",
  noMeeting: "Not decided at a meeting",
  departureReason: DEPARTURE_REASON_LABEL,
  departureReasonHint:
    "Only needed when the decision goes against the panel's vote or the adopted allocation (a different amount counts too). Say why in plain English: it is published with the decision and flagged in the minutes. Do not name panel members.",
  departsFrom: { vote: "Differs from the panel's vote", allocation: "Differs from the allocation" } as Record<Departure["from"], string>,
  departureWhy: "Why: ",
  submit: "Record decision and tell the group",
  cancel: "Cancel",
  done: {
    funded: "Decision recorded: funded. The group has been told.",
    not_funded: "Decision recorded: not funded. The group has been told the reason.",
    reserve: "Decision recorded: reserve list. The group has been told.",
    recommended: "Allocation recommendation recorded. The amounts below are pre-filled from it.",
    all: "All the decisions are recorded. Each group has been told.",
  } as Record<string, string>,
};

const AWAITING = new Set<string>(AWAITING_DECISION);
/** Decided proposals per page: each row carries its reason, which can be long. */
const DECIDED_PAGE_SIZE = 25;

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, group, canDecide, canSeeScores } = await requireGroupAccess(request, params.groupId, "decision.record");
  const db = getDb();
  const url = new URL(request.url);
  // Mean scores, and a recommendation ranked by them, wait for scoring to close like the results page (scores.read):
  // until then they are not even worked out. Only proposals awaiting a decision show one.
  const [proposals, scores, fundedPence, recommendation, meetings, hidden, votes, criteria] = await Promise.all([
    listPanelProposals(db, group.id),
    canSeeScores ? meanScores(db, group, AWAITING_DECISION) : null,
    fundedTotalOf(db, group.id),
    latestRecommendation(db, group.id),
    listMeetings(db, group.id),
    hiddenFrom(db, user, group.id),
    latestPanelVotes(db, group.id),
    listCriteria(db, group.fund_id),
  ]);
  const visible = proposals.filter((p) => !hidden.has(p.id));
  const awaiting = visible
    .filter((p) => AWAITING.has(p.status))
    .map((p) => ({
      id: p.id,
      reference: p.reference,
      title: p.title,
      status: p.status,
      statusLabel: STATUS_LABELS[p.status],
      mean: scores?.means.get(p.id)?.mean ?? null,
      askPence: p.amount_requested_pence,
      floorPence: p.part_funding_floor_pence,
      recommendedPence: recommendation && canSeeScores ? (recommendation.amounts[p.id] ?? null) : null,
      panelVote: votes.get(p.id) ?? null,
    }));
  // The residents' vote beside the mean scores (ballot_advises_panel), once both may be seen: sealed until the vote's close.
  const advice = canSeeScores
    ? await getResidentsVoteAdviceView(
        db,
        group.fund_id,
        awaiting.map((p) => p.id),
      )
    : null;
  // The decided list is paged (?page=N): only the shown page's decisions, with their reasons, are read.
  const allDecided = visible.filter((p) => p.decision_id !== null && !AWAITING.has(p.status));
  const pageCount = Math.max(1, Math.ceil(allDecided.length / DECIDED_PAGE_SIZE));
  const page = Math.min(pageFrom(url), pageCount);
  const shown = allDecided.slice((page - 1) * DECIDED_PAGE_SIZE, page * DECIDED_PAGE_SIZE);
  const decisions = await listGroupDecisions(
    db,
    group.id,
    shown.map((p) => p.id),
  );
  const decided = shown
    .filter((p) => decisions.has(p.id))
    .map((p) => {
      const d = decisions.get(p.id)!;
      return {
        id: p.id,
        reference: p.reference,
        title: p.title,
        outcome: d.outcome,
        amountPence: d.amountPence,
        reason: d.reason,
        decidedAt: d.decidedAt,
        isNotQuorate: d.isNotQuorate,
        departures: d.departures,
        departureReason: d.departureReason,
      };
    });
  const done = url.searchParams.get("done") ?? "";
  return json({
    group: {
      id: group.id,
      name: group.name,
      fundName: group.fund_name,
      potPence: group.pot_pence,
      minGrantPence: group.min_grant_pence,
      maxGrantPence: group.max_grant_pence,
    },
    canDecide,
    canSeeScores,
    // The service refuses a decision the same way while scoring is open (app/domain/scoring-guards.ts): say so before the form.
    scoringRefusal: decisionRefusal({ scoringClosedAt: group.scoring_closed_at, usesScoring: criteria.length > 0 }),
    fundedPence,
    leftPence: remainingPot({ potPence: group.pot_pence, alreadyFundedPence: fundedPence }),
    recommendationAt: canSeeScores ? (recommendation?.at ?? null) : null,
    awaiting,
    advice,
    decided,
    decidedPage: { page, pageSize: DECIDED_PAGE_SIZE, total: allDecided.length, first: (page - 1) * DECIDED_PAGE_SIZE + 1 },
    hiddenCount: proposals.filter((p) => hidden.has(p.id) && AWAITING.has(p.status)).length,
    meetings: meetings.map((m) => ({ value: m.id, label: `${m.title} (${formatDate(m.held_on)})` })),
    selectedId: url.searchParams.get("proposal"),
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, group } = await requireGroupAccess(request, params.groupId, "decision.record");
  const db = getDb();
  return submitForm(form, DecisionSchema, async (data) => {
    const { proposalId, ...input } = data;
    // The proposal must be one of this group's, and not one the chair declared an interest in.
    const proposal = await db.selectFrom("proposal").select(["id", "decision_group_id"]).where("id", "=", proposalId).executeTakeFirst();
    if (!proposal || proposal.decision_group_id !== group.id) throw forbidden();
    if ((await hiddenFrom(db, user, group.id)).has(proposal.id)) throw forbidden("You declared an interest in this proposal, so you cannot decide it.");
    const outcome: DecisionOutcome = await recordDecision(db, user, proposal.id, input, data.submission);
    return redirect(`/admin/groups/${group.id}/decisions?done=${outcome}`);
  });
}

export default function Decisions() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { group } = data;
  const selectedId = actionData?.values?.proposalId ?? data.selectedId;
  const selected = data.awaiting.find((p) => p.id === selectedId) ?? null;
  const values: Record<string, string> =
    actionData?.values ??
    (selected
      ? {
          outcome: selected.recommendedPence !== null ? "funded" : "",
          amount: selected.recommendedPence !== null ? penceToPoundsInput(selected.recommendedPence) : "",
        }
      : {});
  const errors = actionData?.errors;
  // The page links keep the open form (?proposal=) but not the "Decision recorded" message (?done=).
  const pageSearch = new URLSearchParams(useLocation().search);
  pageSearch.delete("done");
  const decidedPage = data.decidedPage;
  return (
    <div>
      <ErrorSummary errors={errors} />
      <GroupDecisionNav groupId={group.id} groupName={group.name} fundName={group.fundName} canDecide={data.canDecide} />
      {data.done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[data.done]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>

      <h2>{copy.money}</h2>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.pot}</dt>
        <dd className="mb-1">{formatPence(group.potPence)}</dd>
        <dt className="font-semibold">{copy.funded}</dt>
        <dd className="mb-1">{formatPence(data.fundedPence)}</dd>
        <dt className="font-semibold">{copy.left}</dt>
        <dd className="mb-1">{formatPence(data.leftPence)}</dd>
        <dt className="font-semibold">{copy.grants}</dt>
        <dd className="mb-1">{copy.range(group.minGrantPence, group.maxGrantPence)}</dd>
      </dl>
      {data.scoringRefusal ? (
        <p role="note" className="panel max-w-3xl font-semibold">
          {data.scoringRefusal}
        </p>
      ) : null}
      {data.canSeeScores ? (
        <p>
          {data.recommendationAt ? copy.recommended(formatDate(data.recommendationAt)) : copy.noRecommendation}{" "}
          <Link to={`/admin/groups/${group.id}/allocation`}>{copy.seeAllocation}</Link>
        </p>
      ) : (
        <p className="panel max-w-3xl">{copy.scoresWaiting}</p>
      )}

      {selected ? (
        <Form method="post" noValidate className="my-8 max-w-3xl border-2 border-slate-300 p-4" id="decision">
          <h2 className="mt-0">{copy.formTitle(selected.reference, selected.title)}</h2>
          <p>
            {copy.asks(selected.askPence)} {selected.floorPence !== null ? copy.floor(selected.floorPence) : null}
          </p>
          {selected.panelVote ? <p className="font-semibold">{copy.panelVote(selected.panelVote.vote, selected.panelVote.meetingTitle)}</p> : null}
          <CsrfInput />
          <input type="hidden" name="proposalId" value={selected.id} />
          <RadioGroup
            name="outcome"
            label={copy.outcome}
            error={errors?.outcome}
            defaultValue={values.outcome}
            options={DECISION_OUTCOMES.filter((o) => !(o === "reserve" && selected.status === "reserve")).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
          />
          <TextField
            name="amount"
            label={copy.amount}
            hint={copy.amountHint(group.minGrantPence, group.maxGrantPence, data.leftPence)}
            error={errors?.amount}
            defaultValue={values.amount}
            inputMode="decimal"
            autoComplete="off"
            className="max-w-xs"
          />
          <TextareaField
            name="conditions"
            label={copy.conditions}
            hint={copy.conditionsHint}
            error={errors?.conditions}
            defaultValue={values.conditions}
            rows={3}
          />
          <TextareaField name="reason" label={copy.reason} hint={copy.reasonHint} error={errors?.reason} defaultValue={values.reason} rows={4} />
          <TextareaField name="feedback" label={copy.feedback} hint={copy.feedbackHint} error={errors?.feedback} defaultValue={values.feedback} rows={4} />
          <TextareaField
            name="departureReason"
            label={copy.departureReason}
            hint={copy.departureReasonHint}
            error={errors?.departureReason}
            defaultValue={values.departureReason}
            rows={3}
          />
          {data.meetings.length ? (
            <SelectField
              name="meetingId"
              label={copy.meeting}
              hint={copy.meetingHint}
              error={errors?.meetingId}
              defaultValue={values.meetingId}
              placeholder={copy.noMeeting}
              options={data.meetings}
            />
          ) : null}
          <div className="flex flex-wrap items-center gap-4">
            <button type="submit" className="btn">
              {copy.submit}
            </button>
            <Link to={`/admin/groups/${group.id}/decisions`}>{copy.cancel}</Link>
          </div>
        </Form>
      ) : null}

      <h2>{copy.awaiting}</h2>
      {data.advice ? <ResidentsVoteNote advice={data.advice} /> : null}
      {data.hiddenCount ? <p role="note">{copy.hidden(data.hiddenCount)}</p> : null}
      {data.recommendationAt && data.awaiting.length > 1 && !data.scoringRefusal ? (
        <p>
          <Link to={`/admin/groups/${group.id}/decisions/all`}>{copy.allAtOnce(data.awaiting.length)}</Link>
        </p>
      ) : null}
      {data.awaiting.length === 0 ? (
        <p>{copy.noneAwaiting}</p>
      ) : (
        <DataTable
          caption={copy.awaitingCaption}
          columns={data.advice ? [...copy.awaitingColumns.slice(0, 4), data.advice.label, ...copy.awaitingColumns.slice(4)] : copy.awaitingColumns}
        >
          {data.awaiting.map((p) => (
            <tr key={p.id}>
              <td className="whitespace-nowrap">{p.reference}</td>
              <th scope="row" className="font-normal">
                <Link to={`/proposals/${p.id}`}>{p.title || p.reference}</Link>
              </th>
              <td>{p.statusLabel}</td>
              <td>{formatNumber(p.mean, 2)}</td>
              {data.advice ? <td>{data.advice.byProposal[p.id]}</td> : null}
              <td className="whitespace-nowrap">{p.askPence === null ? "–" : formatPence(p.askPence)}</td>
              <td className="whitespace-nowrap">
                {p.recommendedPence !== null ? formatPence(p.recommendedPence) : data.recommendationAt ? copy.notRecommended : "–"}
              </td>
              <td>
                <Link to={`/admin/groups/${group.id}/decisions?proposal=${p.id}#decision`}>
                  {p.status === "reserve" ? copy.decideAgain : copy.decide}
                  <span className="sr-only">{copy.for(p.reference)}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>{copy.decided}</h2>
      {data.decided.length === 0 ? (
        <p>{copy.noneDecided}</p>
      ) : (
        <>
          {decidedPage.total > decidedPage.pageSize ? (
            <p>{copy.decidedCount(decidedPage.first, decidedPage.first + data.decided.length - 1, decidedPage.total)}</p>
          ) : null}
          <DataTable caption={copy.decidedCaption} columns={copy.decidedColumns}>
            {data.decided.map((d) => (
              <tr key={d.id}>
                <td className="whitespace-nowrap">{d.reference}</td>
                <th scope="row" className="font-normal">
                  {d.title || d.reference}
                </th>
                <td>
                  {OUTCOME_LABELS[d.outcome]}
                  {d.isNotQuorate ? <span className="block text-sm font-semibold">{copy.notQuorate}</span> : null}
                  {d.departures.map((x) => (
                    <span key={x.from} className="block text-sm font-semibold">
                      {copy.departsFrom[x.from]}
                    </span>
                  ))}
                </td>
                <td className="whitespace-nowrap">{d.amountPence === null ? "–" : formatPence(d.amountPence)}</td>
                <td className="min-w-[16rem] whitespace-pre-line">
                  {d.reason}
                  {d.departures.length ? (
                    <span className="mt-2 block">
                      {d.departures.map((x) => x.text).join(" ")} <strong>{copy.departureWhy}</strong>
                      {d.departureReason}
                    </span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap">{formatDate(d.decidedAt)}</td>
              </tr>
            ))}
          </DataTable>
          <Pagination page={decidedPage.page} pageSize={decidedPage.pageSize} total={decidedPage.total} search={pageSearch.toString()} />
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
