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
import { listAwardFilterChoices, listAwards, listOffersToMake } from "~/models/award.server";
import { createAward } from "~/services/awards.server";
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
        amount: o.amount_pence ? formatPence(o.amount_pence) : "",
        decided: formatDate(o.decided_at),
      })),
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

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "admin.access");
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
  return (
    <div>
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>

      <section aria-labelledby="offers-heading" className="mb-10">
        <h2 id="offers-heading">{copy.offers}</h2>
        <p>{copy.offersIntro}</p>
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
