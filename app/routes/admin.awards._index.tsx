import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { SelectField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { AWARD_STATUS_LABELS } from "~/domain/award";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { listAwardFilterChoices, listAwards, listGroupOffersToMake, listOffersToMake } from "~/models/award.server";
import { getGroupFacts } from "~/models/group-results.server";
import { createAward, createGroupAwards } from "~/services/awards.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "Awards",
  intro: "Every grant from offer to closure. Make the offer for each funded decision, then follow its conditions, support, payments and reports.",
  offers: "Make offers",
  offersIntro: "These proposals were funded by their panel but have no award yet. Making the offer creates the award from the decision and tells the group.",
  noOffers: "Every funded decision has an award.",
  offersCaption: "Funded decisions without an award",
  makeOffer: "Make offer",
  makeOfferLabel: (title: string) => `Make offer for ${title}`,
  allForGroup: (n: number, group: string) => `Make all ${n} offers for ${group}`,
  confirmTitle: (n: number, group: string) => `Make ${n} ${n === 1 ? "offer" : "offers"} for ${group}?`,
  confirmIntro: (n: number, total: number) =>
    `This makes ${n} ${n === 1 ? "award" : "awards"}, ${formatPence(total)} in all, from the panel's decisions. Each group gets its offer letter at once. Awards already offered are skipped.`,
  confirmCaption: "Offers to make",
  confirmColumns: ["Proposal", "Amount"],
  confirm: (n: number) => (n === 1 ? "Yes, make the offer" : `Yes, make all ${n} offers`),
  cancel: "Cancel",
  confirmNone: (group: string) => `Every funded decision in ${group} already has an award.`,
  made: (n: number, total: number, group: string) =>
    n === 0
      ? `No new offers: every funded decision in ${group} already had an award.`
      : `${n} ${n === 1 ? "offer" : "offers"} made for ${group}, ${formatPence(total)} in all. Each group has been told. Awards already offered were skipped.`,
  filters: "Filter awards",
  fund: "Fund",
  group: "Decision group",
  status: "Status",
  any: "Any",
  apply: "Apply filters",
  count: (n: number) => `${n} ${n === 1 ? "award" : "awards"}`,
  none: "No awards match these filters.",
  caption: "Awards",
  columns: ["Reference", "Organisation and project", "Decision group", "Amount", "Status", "Offered"],
  offerColumns: ["Proposal", "Organisation", "Decision group", "Amount", "Decided", "Action"],
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

const STATUSES = ["offered", "accepted", "declined", "closed", "withdrawn"] as const;

const FilterSchema = z.object({
  fundId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  decisionGroupId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  status: z
    .union([z.enum(STATUSES), z.literal("")], { errorMap: () => ({ message: "Choose one of the statuses" }) })
    .optional()
    .transform((v) => v || undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const url = new URL(request.url);
  const parsed = parseForm(FilterSchema, url.searchParams);
  const filters = parsed.ok ? parsed.data : {};
  const page = pageFrom(url);
  const db = getDb();
  const [awards, offers, [funds, groups]] = await Promise.all([listAwards(db, filters, page, PAGE_SIZE), listOffersToMake(db), listAwardFilterChoices(db)]);
  // "Make all offers" for one group: a confirmation with the count and total (?offerGroup=), and the summary after it (?made=).
  const offerGroupId = url.searchParams.get("offerGroup") ?? url.searchParams.get("madeFor");
  const offerGroup = offerGroupId ? await getGroupFacts(db, offerGroupId) : null;
  const groupOffers = offerGroup && url.searchParams.has("offerGroup") ? await listGroupOffersToMake(db, offerGroup.id) : null;
  const made = Number(url.searchParams.get("made"));
  const madeTotal = Number(url.searchParams.get("total"));
  return json(
    {
      awards: {
        total: awards.total,
        rows: awards.rows.map((a) => ({
          id: a.id,
          reference: a.reference,
          organisation: a.organisation_name,
          project: a.proposal_title,
          group: a.decision_group_name,
          amount: formatPence(a.amount_pence),
          status: AWARD_STATUS_LABELS[a.status],
          offered: formatDate(a.offered_at),
        })),
      },
      offers: offers.map((o) => ({
        proposalId: o.proposal_id,
        title: o.proposal_title || o.proposal_reference,
        reference: o.proposal_reference,
        organisation: o.organisation_name,
        group: o.decision_group_name,
        groupId: o.decision_group_id,
        amount: o.amount_pence ? formatPence(o.amount_pence) : "",
        decided: formatDate(o.decided_at),
      })),
      confirm:
        offerGroup && groupOffers
          ? {
              groupId: offerGroup.id,
              groupName: offerGroup.name,
              totalPence: groupOffers.reduce((sum, o) => sum + (o.amount_pence ?? 0), 0),
              rows: groupOffers.map((o) => ({
                proposalId: o.proposal_id,
                title: o.proposal_title || o.proposal_reference,
                reference: o.proposal_reference,
                amount: formatPence(o.amount_pence ?? 0),
              })),
            }
          : null,
      made:
        offerGroup && url.searchParams.has("made") && Number.isSafeInteger(made) && Number.isSafeInteger(madeTotal)
          ? copy.made(made, madeTotal, offerGroup.name)
          : null,
      funds,
      groups: groups.filter((g) => !filters.fundId || g.fund_id === filters.fundId),
      page,
      errors: parsed.ok ? null : parsed.errors,
      values: parsed.values,
    },
    { status: parsed.ok ? 200 : 400 },
  );
}

const CreateSchema = z.object({ proposalId: z.string().trim().min(1, "Choose a funded proposal") });
const OfferAllSchema = z.object({ decisionGroupId: z.string().trim().min(1, "Choose a decision group").max(100) });

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "admin.access");
  if (form.get("intent") === "offer-all") {
    return submitForm(form, OfferAllSchema, async (data) => {
      const made = await createGroupAwards(getDb(), admin, data.decisionGroupId, data.submission);
      const summary = new URLSearchParams({ madeFor: data.decisionGroupId, made: String(made.count), total: String(made.totalPence) });
      return redirect(`/admin/awards?${summary}#offers-heading`);
    });
  }
  return submitForm(form, CreateSchema, async (data) => {
    const awardId = await createAward(getDb(), admin, data.proposalId, data.submission);
    return redirect(`/admin/awards/${awardId}?saved=created`);
  });
}

export default function AdminAwards() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const location = useLocation();
  const errors = actionData?.errors ?? data.errors;
  // Groups with more than one offer waiting get "Make all N offers" (one offer is one click already).
  const byGroup = new Map<string, { name: string; count: number }>();
  for (const o of data.offers) byGroup.set(o.groupId, { name: o.group, count: (byGroup.get(o.groupId)?.count ?? 0) + 1 });
  const offerGroups = [...byGroup].filter(([, g]) => g.count > 1);
  return (
    <div>
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>

      <section aria-labelledby="offers-heading" className="mb-10">
        <h2 id="offers-heading">{copy.offers}</h2>
        {data.made ? (
          <p role="status" className="panel font-semibold">
            {data.made}
          </p>
        ) : null}
        <p>{copy.offersIntro}</p>
        {data.confirm ? (
          <div className="panel mb-6 max-w-3xl" id="confirm-offers">
            <h3 className="mt-0">
              {data.confirm.rows.length ? copy.confirmTitle(data.confirm.rows.length, data.confirm.groupName) : copy.confirmNone(data.confirm.groupName)}
            </h3>
            {data.confirm.rows.length ? (
              <>
                <p>{copy.confirmIntro(data.confirm.rows.length, data.confirm.totalPence)}</p>
                <ul className="list-disc pl-6">
                  {data.confirm.rows.map((o) => (
                    <li key={o.proposalId}>
                      {o.title} ({o.reference}): {o.amount}
                    </li>
                  ))}
                </ul>
                <Form method="post" className="flex flex-wrap items-center gap-4">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="offer-all" />
                  <input type="hidden" name="decisionGroupId" value={data.confirm.groupId} />
                  <button type="submit" className="btn">
                    {copy.confirm(data.confirm.rows.length)}
                  </button>
                  <Link to="/admin/awards">{copy.cancel}</Link>
                </Form>
              </>
            ) : null}
          </div>
        ) : null}
        {offerGroups.length ? (
          <ul className="mb-4 flex flex-wrap gap-x-6 gap-y-1">
            {offerGroups.map(([groupId, g]) => (
              <li key={groupId}>
                <Link to={`/admin/awards?offerGroup=${groupId}#confirm-offers`}>{copy.allForGroup(g.count, g.name)}</Link>
              </li>
            ))}
          </ul>
        ) : null}
        {data.offers.length ? (
          <DataTable caption={copy.offersCaption} columns={copy.offerColumns}>
            {data.offers.map((o) => (
              <tr key={o.proposalId}>
                <td>
                  {o.title} ({o.reference})
                </td>
                <td>{o.organisation}</td>
                <td>{o.group}</td>
                <td>{o.amount}</td>
                <td className="whitespace-nowrap">{o.decided}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="proposalId" value={o.proposalId} />
                    <button type="submit" className="btn" aria-label={copy.makeOfferLabel(o.title)}>
                      {copy.makeOffer}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{copy.noOffers}</p>
        )}
      </section>

      <Form method="get" className="mb-8 border-2 border-slate-300 p-4">
        <h2 className="mt-0">{copy.filters}</h2>
        <div className="grid gap-x-6 sm:grid-cols-3">
          <SelectField
            name="fundId"
            label={copy.fund}
            placeholder={copy.any}
            defaultValue={data.values.fundId}
            options={data.funds.map((f) => ({ value: f.id, label: f.name }))}
          />
          <SelectField
            name="decisionGroupId"
            label={copy.group}
            placeholder={copy.any}
            defaultValue={data.values.decisionGroupId}
            options={data.groups.map((g) => ({ value: g.id, label: g.name }))}
          />
          <SelectField
            name="status"
            label={copy.status}
            placeholder={copy.any}
            defaultValue={data.values.status}
            error={data.errors?.status}
            options={STATUSES.map((s) => ({ value: s, label: AWARD_STATUS_LABELS[s] }))}
          />
        </div>
        <button type="submit" className="btn">
          {copy.apply}
        </button>
      </Form>
      <p>{copy.count(data.awards.total)}</p>
      {data.awards.rows.length ? (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {data.awards.rows.map((a) => (
            <tr key={a.id}>
              <td className="whitespace-nowrap">
                <Link to={`/admin/awards/${a.id}`}>{a.reference}</Link>
              </td>
              <td>
                {a.organisation}
                <br />
                {a.project}
              </td>
              <td>{a.group}</td>
              <td>{a.amount}</td>
              <td>{a.status}</td>
              <td className="whitespace-nowrap">{a.offered}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.none}</p>
      )}
      <Pagination page={data.page} pageSize={PAGE_SIZE} total={data.awards.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
