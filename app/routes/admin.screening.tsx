import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, SelectField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { TextareaField } from "~/components/ui/textarea-field";
import { ScreenAllMatchingSchema, ScreeningDecisionSchema, screeningFiltersFrom } from "~/domain/forms/screening";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { SCREENING_SORTS, SORT_LABELS } from "~/domain/proposal-lists";
import { PROPOSAL_STATUSES, STATUS_LABELS } from "~/domain/proposal-status";
import { listScreeningFacets, listScreeningQueue } from "~/models/proposal-lists.server";
import { previewScreenAll, screenAllMatching, screenSelection } from "~/services/screening.server";
import { getDb } from "~/utils/db.server";
import { repeatedValues, type FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "Eligibility screening",
  intro:
    "Proposals their lead organisation supported wait here for you to check they are eligible. Select proposals, then mark them eligible, or not eligible with a reason. Each group is told the outcome.",
  filters: "Filter proposals",
  fund: "Fund",
  group: "Decision group",
  status: "Status",
  lead: "Lead organisation",
  sort: "Sort by",
  direction: "Order",
  ascending: "Ascending (oldest, smallest or A first)",
  descending: "Descending (newest, largest or Z first)",
  any: "Any",
  anyStatus: "Any status",
  apply: "Apply filters",
  export: "Download these proposals as a spreadsheet (CSV)",
  import: "Import proposals gathered offline",
  caption: "Proposals matching the filters",
  totals: (n: number, pence: number) => `${n} ${n === 1 ? "proposal" : "proposals"}, asking for ${formatPence(pence)} in total.`,
  none: "No proposals match these filters.",
  columns: ["Select", "Reference", "Title", "Community group", "Decision group", "Lead organisations", "Amount", "Submitted", "Status"],
  select: (reference: string, title: string) => `Select ${reference}${title ? `, ${title}` : ""}`,
  decision: "Decision for the selected proposals",
  reason: "Reason they are not eligible",
  reasonHint: "Needed only when you mark proposals not eligible. The same reason goes to every selected group, so write it for all of them.",
  markEligible: "Mark selected eligible",
  markIneligible: "Mark selected not eligible",
  allOrNothing: "If any selected proposal cannot be marked, nothing is changed and you are told which.",
  done: (n: number, outcome: "eligible" | "ineligible") =>
    `${n} ${n === 1 ? "proposal" : "proposals"} marked ${outcome === "eligible" ? "eligible" : "not eligible"}. ${n === 1 ? "The group has" : "The groups have"} been told.`,
  all: (n: number) => `Mark all ${n} matching ${n === 1 ? "proposal" : "proposals"}`,
  allIntro:
    "This acts on every proposal that matches the filters above, on every page, not just the ones ticked. Only proposals waiting to be screened are changed: any other is skipped and counted. You confirm the number first.",
  allOutcome: "Mark them as",
  eligible: "Eligible",
  ineligible: "Not eligible",
  allReason: "Reason they are not eligible",
  allReasonHint: "Needed only for not eligible. The same reason goes to every group, so write it for all of them.",
  allReview: "Check how many will change",
  confirmTitle: "Confirm",
  confirm: (ready: number, skipped: number, outcome: "eligible" | "ineligible") =>
    `${ready} ${ready === 1 ? "proposal" : "proposals"} will be marked ${outcome === "eligible" ? "eligible" : "not eligible"}, and ${ready === 1 ? "its group" : "their groups"} told.${
      skipped ? ` ${skipped} matching ${skipped === 1 ? "proposal is" : "proposals are"} not waiting to be screened and will be skipped.` : ""
    }`,
  confirmButton: (ready: number, outcome: "eligible" | "ineligible") =>
    `Yes, mark ${ready} ${ready === 1 ? "proposal" : "proposals"} ${outcome === "eligible" ? "eligible" : "not eligible"}`,
  cancel: "Cancel and go back to the list",
  allDone: (n: number, skipped: number, outcome: "eligible" | "ineligible") =>
    `${n} ${n === 1 ? "proposal" : "proposals"} marked ${outcome === "eligible" ? "eligible" : "not eligible"}. ${n === 1 ? "The group has" : "The groups have"} been told.${
      skipped ? ` ${skipped} ${skipped === 1 ? "proposal was" : "proposals were"} skipped: not waiting to be screened.` : ""
    }`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.screen");
  const url = new URL(request.url);
  const filters = screeningFiltersFrom(url.searchParams);
  const page = pageFrom(url);
  const db = getDb();
  const [queue, facets] = await Promise.all([listScreeningQueue(db, filters, page, PAGE_SIZE), listScreeningFacets(db)]);
  return json({ queue, facets, filters, page });
}

type ActionData = FormActionData & {
  done?: string;
  /** The first step of "Mark all matching": what would change, for the administrator to confirm. */
  confirmAll?: { ready: number; skipped: number; outcome: "eligible" | "ineligible"; reason: string };
};

export async function action({ request }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const admin = await requirePermission(request, "proposal.screen");
  const form = await readVerifiedForm(request);
  if (form.get("intent") === "all") {
    // The filters come from the page's own address (the form posts to it), and the query runs again on the server.
    const filters = screeningFiltersFrom(new URL(request.url).searchParams);
    return submitForm(form, ScreenAllMatchingSchema, async ({ outcome, allReason, step, confirmedCount }) => {
      if (step === "review") {
        const { ready, skipped } = await previewScreenAll(getDb(), filters);
        return json<ActionData>({ confirmAll: { ready, skipped, outcome, reason: allReason } });
      }
      const { screened, skipped } = await screenAllMatching(getDb(), admin, filters, outcome, allReason, confirmedCount);
      return json<ActionData>({ done: copy.allDone(screened, skipped, outcome) });
    });
  }
  return submitForm(form, ScreeningDecisionSchema, async ({ proposalIds, intent, reason }) => {
    const count = await screenSelection(getDb(), admin, proposalIds, intent, reason);
    return json({ done: copy.done(count, intent) });
  });
}

/** A select that always has a value (no "Any" choice), for the sort order. */
function PlainSelect({
  name,
  label,
  defaultValue,
  options,
}: {
  name: string;
  label: string;
  defaultValue: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="mb-6">
      <label htmlFor={name} className="mb-1 block font-semibold">
        {label}
      </label>
      <select id={name} name={name} defaultValue={defaultValue} className="input">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function Screening() {
  const { queue, facets, filters, page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  // A refused decision keeps the ticks, so the administrator only has to untick the proposals named.
  const selected = new Set(repeatedValues(actionData?.values, "proposalIds"));
  // The bulk form posts to this page with the filters kept, so the list stays as it was.
  const exportHref = `/admin/proposals/export.csv${location.search}`;
  return (
    <div>
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <ErrorSummary errors={actionData?.errors} />
      {actionData?.done ? (
        <p role="status" className="panel font-semibold">
          {actionData.done}
        </p>
      ) : null}

      {actionData?.confirmAll ? (
        <section aria-labelledby="confirm-all" className="mb-8 border-4 border-amber-600 p-4">
          <h2 id="confirm-all" className="mt-0">
            {copy.confirmTitle}
          </h2>
          <p className="font-semibold">{copy.confirm(actionData.confirmAll.ready, actionData.confirmAll.skipped, actionData.confirmAll.outcome)}</p>
          {actionData.confirmAll.ready > 0 ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="all" />
              <input type="hidden" name="step" value="confirm" />
              <input type="hidden" name="outcome" value={actionData.confirmAll.outcome} />
              <input type="hidden" name="allReason" value={actionData.confirmAll.reason} />
              <input type="hidden" name="confirmedCount" value={actionData.confirmAll.ready} />
              <button type="submit" className={actionData.confirmAll.outcome === "eligible" ? "btn" : "btn-warning"}>
                {copy.confirmButton(actionData.confirmAll.ready, actionData.confirmAll.outcome)}
              </button>
            </Form>
          ) : null}
          <p className="mb-0 mt-4">
            <Link to={`/admin/screening${location.search}`}>{copy.cancel}</Link>
          </p>
        </section>
      ) : null}

      <Form method="get" className="mb-8 border-2 border-slate-300 p-4">
        <h2 className="mt-0">{copy.filters}</h2>
        <div className="grid gap-x-6 sm:grid-cols-2">
          <SelectField
            name="fund"
            label={copy.fund}
            defaultValue={filters.fundId}
            placeholder={copy.any}
            options={facets.funds.map((f) => ({ value: f.id, label: f.name }))}
          />
          <SelectField
            name="group"
            label={copy.group}
            defaultValue={filters.decisionGroupId}
            placeholder={copy.any}
            options={facets.groups.map((g) => ({ value: g.id, label: `${g.name} (${g.fundName})` }))}
          />
          <SelectField
            name="status"
            label={copy.status}
            defaultValue={filters.status ?? ""}
            placeholder={copy.anyStatus}
            options={PROPOSAL_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          />
          <SelectField
            name="lead"
            label={copy.lead}
            defaultValue={filters.leadOrganisationId}
            placeholder={copy.any}
            options={facets.leads.map((l) => ({ value: l.id, label: l.name }))}
          />
          <PlainSelect name="sort" label={copy.sort} defaultValue={filters.sort} options={SCREENING_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))} />
          <PlainSelect
            name="dir"
            label={copy.direction}
            defaultValue={filters.direction}
            options={[
              { value: "asc", label: copy.ascending },
              { value: "desc", label: copy.descending },
            ]}
          />
        </div>
        <button type="submit" className="btn">
          {copy.apply}
        </button>
      </Form>

      <p className="font-semibold">{copy.totals(queue.total, queue.totalRequestedPence)}</p>
      <ul className="mb-6 list-none space-y-1 pl-0">
        <li>
          <a href={exportHref} download>
            {copy.export}
          </a>
        </li>
        <li>
          <Link to="/admin/proposals/import">{copy.import}</Link>
        </li>
      </ul>

      {queue.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <Form method="post">
          <CsrfInput />
          {/* The error summary links here when nothing was selected. */}
          <div id="proposalIds" tabIndex={-1} className="relative overflow-x-auto" role="region" aria-label={copy.caption}>
            <table className="table">
              <caption className="sr-only">{copy.caption}</caption>
              <thead>
                <tr>
                  {copy.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {queue.rows.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <input type="checkbox" id={`select-${p.id}`} name="proposalIds" value={p.id} defaultChecked={selected.has(p.id)} className="h-6 w-6" />
                      <label htmlFor={`select-${p.id}`} className="sr-only">
                        {copy.select(p.reference, p.title)}
                      </label>
                    </td>
                    <td className="whitespace-nowrap">{p.reference}</td>
                    <th scope="row" className="font-normal">
                      <Link to={`/admin/proposals/${p.id}`}>{p.title || p.reference}</Link>
                    </th>
                    <td>{p.communityGroupName}</td>
                    <td>{p.decisionGroupName}</td>
                    <td>{p.leadOrganisations.join(", ")}</td>
                    <td className="whitespace-nowrap">{p.amount_requested_pence === null ? "" : formatPence(p.amount_requested_pence)}</td>
                    <td className="whitespace-nowrap">{p.submitted_at ? formatDate(p.submitted_at) : ""}</td>
                    <td>{STATUS_LABELS[p.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset className="mt-6 border-2 border-slate-300 p-4">
            <legend className="px-1 text-xl font-bold">{copy.decision}</legend>
            <p>{copy.allOrNothing}</p>
            <TextareaField
              name="reason"
              label={copy.reason}
              hint={copy.reasonHint}
              error={actionData?.errors?.reason}
              defaultValue={actionData?.values?.reason}
              rows={3}
            />
            <div className="flex flex-wrap gap-4">
              <button type="submit" name="intent" value="eligible" className="btn">
                {copy.markEligible}
              </button>
              <button type="submit" name="intent" value="ineligible" className="btn-warning">
                {copy.markIneligible}
              </button>
            </div>
          </fieldset>
        </Form>
      )}
      {queue.total > 0 ? (
        <Form method="post" className="mt-8 border-2 border-slate-300 p-4">
          <CsrfInput />
          <input type="hidden" name="intent" value="all" />
          <input type="hidden" name="step" value="review" />
          <h2 className="mt-0">{copy.all(queue.total)}</h2>
          <p>{copy.allIntro}</p>
          <RadioGroup
            name="outcome"
            label={copy.allOutcome}
            error={actionData?.errors?.outcome}
            defaultValue={actionData?.values?.outcome}
            options={[
              { value: "eligible", label: copy.eligible },
              { value: "ineligible", label: copy.ineligible },
            ]}
          />
          <TextareaField
            name="allReason"
            label={copy.allReason}
            hint={copy.allReasonHint}
            error={actionData?.errors?.allReason}
            defaultValue={actionData?.values?.allReason}
            rows={3}
          />
          <button type="submit" className="btn-secondary">
            {copy.allReview}
          </button>
        </Form>
      ) : null}
      <Pagination page={page} pageSize={PAGE_SIZE} total={queue.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
