import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireGroupAccess } from "~/auth/group-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { GroupDecisionNav } from "~/components/group-decision-nav";
import { formatNumber } from "~/components/group-results-view";
import { CheckboxGroup } from "~/components/ui/checkbox-group";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { DomainError } from "~/domain/errors";
import { pinsFrom } from "~/domain/forms/decision";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { recommendationSentence } from "~/domain/allocation-summary";
import { formatPence } from "~/domain/money";
import { getAllocation, type AllocationView } from "~/models/allocation.server";
import { adoptAllocation } from "~/services/decisions.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Allocation recommendation",
  intro:
    "Which of the proposals the panel supports to fund, so that the panel's total score is as high as possible within the money left in the pot. It is a recommendation: the decisions are still made, one by one, with a reason for each.",
  basis: {
    votes:
      "Candidates: the proposals awaiting a decision that the panel voted to fund at a meeting (their latest closed vote had more votes to fund than not to fund).",
    all: "No meeting votes have closed for this group yet, so every proposal awaiting a decision (eligible, under panel review or on the reserve list) that has been scored is a candidate.",
  },
  value: (max: number) => `Each proposal's value is its mean weighted score (out of ${formatNumber(max)}), from submitted score sheets.`,
  money: "Money",
  pot: "Pot",
  funded: "Already funded by decisions",
  available: "Available for this recommendation",
  lead: "Our recommendation",
  explain: "How the recommendation is worked out",
  ranking: "Ranking",
  method: "Method",
  tieRule: "Tie rule",
  leftoverRule: "Money left over",
  greedyRule: "For comparison",
  compare: "The two plans side by side",
  compareCaption: "Exact optimum and going down the ranking, compared",
  plan: "Plan",
  optimum: "Exact optimum (recommended)",
  greedy: "Going down the ranking",
  count: "Proposals funded",
  totalValue: "Total of mean scores",
  allocated: "Allocated",
  leftover: "Left over",
  hiddenValue: "Not shown",
  notProven: (shortfall: number | null) =>
    `The search stopped at its time limit before it had checked every set, so this is the best set it found, not a proven best.${shortfall === null ? "" : ` No set can score more than ${formatNumber(shortfall, 6)} higher in total.`} The tie rule may not hold.`,
  candidates: "Candidates",
  candidatesCaption: "Each candidate, highest mean score first, with its recommended amount",
  region: "Candidates table",
  columns: ["Reference", "Proposal", "Mean score", "Asks for", "Least it can accept", "Exact optimum", "Going down the ranking", "Pinned"],
  notFunded: "Not funded",
  pinnedIn: "Pinned in",
  pinnedOut: "Pinned out",
  none: "No proposals are candidates for funding yet.",
  hidden: (n: number) =>
    `${n} ${n === 1 ? "proposal is" : "proposals are"} not listed because you declared an interest in ${n === 1 ? "it" : "them"}. The fund administrator decides ${n === 1 ? "it" : "them"}; the money is still counted.`,
  excluded: "Not candidates",
  whatIf: "What if?",
  whatIfIntro: "Pin proposals in (they must be funded) or out (they must not be), then see the best set of the rest.",
  pinIn: "Must be funded (pin in)",
  pinOut: "Must not be funded (pin out)",
  showWhatIf: "See the new optimum",
  clearPins: "Clear all pins",
  use: "Use this allocation",
  useIntro:
    "Records the exact optimum shown above (with these pins) as the panel's recommendation. The decisions form is then pre-filled from it; each decision still needs its own reason.",
  infeasible: "No recommendation with these pins",
  waiting:
    "The recommendation is worked out from the panel's scores, so it appears here once scoring has closed for the group. That way nobody's scores are influenced by anyone else's.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** The page's first line (app/domain/allocation-summary.ts), or null when there is no recommendation to state. */
function summaryOf(allocation: AllocationView): string | null {
  const { result } = allocation;
  if (!result.isFeasible) return null;
  return recommendationSentence({
    proposals: allocation.rows,
    optimumValue: result.optimum.totalValue,
    greedyValue: result.greedy.totalValue,
    optimumPence: result.optimum.totalAllocatedPence,
    availablePence: allocation.availablePence,
    hasPins: allocation.pins.pinnedIn.length + allocation.pins.pinnedOut.length > 0,
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, group, canDecide, canSeeScores } = await requireGroupAccess(request, params.groupId, "decision.record");
  const pins = pinsFrom(new URL(request.url).searchParams);
  const db = getDb();
  const header = { id: group.id, name: group.name, fundName: group.fund_name, minGrantPence: group.min_grant_pence, maxGrantPence: group.max_grant_pence };
  // The recommendation is ranked by mean scores, so it waits for scoring to close like the results page (scores.read).
  if (!canSeeScores) return json({ group: header, canDecide, allocation: null, summary: null, pinError: null });
  try {
    const allocation = await getAllocation(db, user, group, pins);
    return json({ group: header, canDecide, allocation, summary: summaryOf(allocation), pinError: null });
  } catch (error) {
    // Contradictory pins (in and out at once) come from a URL: show the plain recommendation with the problem.
    if (!(error instanceof DomainError)) throw error;
    const allocation = await getAllocation(db, user, group, { pinnedIn: [], pinnedOut: [] });
    return json({ group: header, canDecide, allocation, summary: summaryOf(allocation), pinError: error.message }, { status: 400 });
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, group } = await requireGroupAccess(request, params.groupId, "decision.record");
  // The pins are the what-if's checkboxes, read leniently by pinsFrom as the page's query string is; a refusal shows at the top.
  return submitForm(
    form,
    NoFieldsSchema,
    async () => {
      await adoptAllocation(getDb(), user, group.id, pinsFrom(form));
      return redirect(`/admin/groups/${group.id}/decisions?done=recommended`);
    },
    { fields: [] },
  );
}

export default function Allocation() {
  const { group, canDecide, allocation, summary, pinError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = { ...(pinError ? { in: pinError } : {}), ...(actionData?.errors ?? {}) };
  if (!allocation) {
    return (
      <div>
        <GroupDecisionNav groupId={group.id} groupName={group.name} fundName={group.fundName} canDecide={canDecide} />
        <h1>{copy.title}</h1>
        <p className="panel max-w-3xl">{copy.waiting}</p>
      </div>
    );
  }
  const { result, rules } = allocation;
  const pinnedIn = new Set(allocation.pins.pinnedIn);
  const pinnedOut = new Set(allocation.pins.pinnedOut);
  const hasPins = pinnedIn.size + pinnedOut.size > 0;
  return (
    <div>
      <ErrorSummary errors={errors} />
      <GroupDecisionNav groupId={group.id} groupName={group.name} fundName={group.fundName} canDecide={canDecide} />
      <h1>{copy.title}</h1>
      {summary ? (
        <div className="panel max-w-3xl" id="recommendation">
          <h2 className="mt-0">{copy.lead}</h2>
          <p className="mb-0 text-lg font-semibold">{summary}</p>
        </div>
      ) : null}

      <h2>{copy.money}</h2>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.pot}</dt>
        <dd className="mb-1">{formatPence(allocation.potPence)}</dd>
        <dt className="font-semibold">{copy.funded}</dt>
        <dd className="mb-1">{formatPence(allocation.alreadyFundedPence)}</dd>
        <dt className="font-semibold">{copy.available}</dt>
        <dd className="mb-1">{formatPence(allocation.availablePence)}</dd>
      </dl>

      {/* The method is there for whoever wants it, folded away: <details> opens without JavaScript. */}
      <details className="mb-6 max-w-3xl">
        <summary className="cursor-pointer font-semibold">{copy.explain}</summary>
        <p className="mt-4">{copy.intro}</p>
        <p className="font-semibold">{copy.basis[allocation.basis]}</p>
        <p>{copy.value(allocation.maximumTotal)}</p>
        <dl className="mb-0">
          <dt className="font-semibold">{copy.ranking}</dt>
          <dd className="mb-2">{rules.ranking}</dd>
          <dt className="font-semibold">{copy.method}</dt>
          <dd className="mb-2">{rules.method}</dd>
          <dt className="font-semibold">{copy.tieRule}</dt>
          <dd className="mb-2">{rules.tieRule}</dd>
          <dt className="font-semibold">{copy.leftoverRule}</dt>
          <dd className="mb-2">{rules.leftoverRule}</dd>
          <dt className="font-semibold">{copy.greedyRule}</dt>
          <dd className="mb-2">{rules.greedyRule}</dd>
        </dl>
      </details>

      {allocation.hiddenCount ? <p role="note">{copy.hidden(allocation.hiddenCount)}</p> : null}

      {!result.isFeasible ? (
        <div className="panel max-w-3xl" id="infeasible">
          <h2 className="mt-0">{copy.infeasible}</h2>
          <p className="mb-0">{result.reason}</p>
        </div>
      ) : (
        <>
          <h2>{copy.compare}</h2>
          <div role="region" aria-label={copy.compareCaption} tabIndex={0} className="relative overflow-x-auto">
            <table className="table">
              <caption className="sr-only">{copy.compareCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{copy.plan}</th>
                  <th scope="col">{copy.count}</th>
                  <th scope="col">{copy.totalValue}</th>
                  <th scope="col">{copy.allocated}</th>
                  <th scope="col">{copy.leftover}</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    [copy.optimum, result.optimum],
                    [copy.greedy, result.greedy],
                  ] as const
                ).map(([label, plan]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td>{plan.fundedIds.length}</td>
                    <td>{plan.totalValue === null ? copy.hiddenValue : formatNumber(plan.totalValue, 2)}</td>
                    <td>{formatPence(plan.totalAllocatedPence)}</td>
                    <td>{formatPence(plan.leftoverPence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.isProvenOptimal ? null : <p className="panel max-w-3xl font-semibold">{copy.notProven(result.maxShortfall)}</p>}
        </>
      )}

      <h2>{copy.candidates}</h2>
      {allocation.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.candidatesCaption} columns={copy.columns}>
          {allocation.rows.map((r) => (
            <tr key={r.id}>
              <td className="whitespace-nowrap">{r.reference}</td>
              <th scope="row" className="font-normal">
                {r.title || r.reference}
              </th>
              <td>{formatNumber(r.value, 2)}</td>
              <td className="whitespace-nowrap">{formatPence(r.askPence)}</td>
              <td className="whitespace-nowrap">{formatPence(r.floorPence)}</td>
              <td className="whitespace-nowrap">{r.isFunded ? formatPence(r.amountPence) : copy.notFunded}</td>
              <td className="whitespace-nowrap">{r.isFundedByGreedy ? formatPence(r.greedyAmountPence) : copy.notFunded}</td>
              <td>{r.isPinnedIn ? copy.pinnedIn : r.isPinnedOut ? copy.pinnedOut : ""}</td>
            </tr>
          ))}
        </DataTable>
      )}

      {allocation.excluded.length ? (
        <>
          <h2>{copy.excluded}</h2>
          <ul className="list-disc pl-6">
            {allocation.excluded.map((e) => (
              <li key={e.reference}>
                {e.reference} {e.title}: {e.why}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {allocation.rows.length ? (
        <Form method="get" className="mt-8 max-w-3xl border-2 border-slate-300 p-4">
          <h2 className="mt-0">{copy.whatIf}</h2>
          <p>{copy.whatIfIntro}</p>
          <CheckboxGroup
            name="in"
            legend={copy.pinIn}
            error={pinError ?? undefined}
            options={allocation.rows.map((r) => ({ value: r.id, label: `${r.reference} ${r.title}`, isChecked: pinnedIn.has(r.id) }))}
          />
          <CheckboxGroup
            name="out"
            legend={copy.pinOut}
            options={allocation.rows.map((r) => ({ value: r.id, label: `${r.reference} ${r.title}`, isChecked: pinnedOut.has(r.id) }))}
          />
          <div className="flex flex-wrap items-center gap-4">
            <button type="submit" className="btn">
              {copy.showWhatIf}
            </button>
            {hasPins ? <Link to={`/admin/groups/${group.id}/allocation`}>{copy.clearPins}</Link> : null}
          </div>
        </Form>
      ) : null}

      {result.isFeasible && allocation.rows.length ? (
        <Form method="post" className="mt-8 max-w-3xl">
          <CsrfInput />
          {[...pinnedIn].map((id) => (
            <input key={`in-${id}`} type="hidden" name="in" value={id} />
          ))}
          {[...pinnedOut].map((id) => (
            <input key={`out-${id}`} type="hidden" name="out" value={id} />
          ))}
          <p>{copy.useIntro}</p>
          <button type="submit" className="btn">
            {copy.use}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
