import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { OrganisationInterestSchema, RELATIONSHIP_LABELS, RELATIONSHIPS } from "~/domain/forms/panel";
import { formatDate } from "~/domain/phases";
import { getInterestsDeclaredAt, listDeclarations, listInterestOrganisations } from "~/models/scoring.server";
import { declareInterests } from "~/services/interests.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { scrollRegion } from "~/components/ui/data-table";

const copy = {
  title: "Declare your interests",
  intro:
    "Before you see any proposal, tell us about any organisation you are connected to. If you have an interest in an organisation, you take no part in scoring, discussing or voting on its proposals, and you will not see the panel's scores for them. This follows the principle of the Localism Act 2011, section 31.",
  examples:
    "Declare a connection if you, or a close family member or partner, are a member, trustee, committee member, employee or volunteer of the organisation, or would gain or lose money if it is funded.",
  declaredOn: (date: string) => `You confirmed your declarations on ${date}. You can add more at any time, and from any proposal's page.`,
  goToQueue: "Go to your scoring queue",
  yours: "What you have declared",
  none: "You have not declared any connection yet.",
  caption: "Your declarations of interest",
  about: "Organisation or proposal",
  relationship: "Connection",
  pecuniary: "Financial (pecuniary)",
  details: "Details",
  when: "Declared",
  yes: "Yes",
  no: "No",
  addTitle: "Declare a connection to an organisation",
  organisation: "Organisation",
  organisationHint: "Organisations in your decision group are listed first: its lead organisations and the community groups that have applied.",
  choose: "Choose an organisation…",
  inGroup: "In your decision group",
  others: "All other organisations",
  relationshipLegend: "How are you connected?",
  isPecuniary: "Is it a financial (pecuniary) interest?",
  isPecuniaryHint: "Yes if you, or someone close to you, would gain or lose money or property if the organisation is funded.",
  pecuniaryYes: "Yes, it is financial",
  pecuniaryNo: "No",
  detailsLabel: "Details (optional)",
  detailsHint: "For example, 'I have been a trustee since 2021'.",
  declare: "Declare this interest",
  nothingTitle: "Nothing to declare",
  nothingFirst: "If you have no connection to any organisation that might apply, confirm it here.",
  nothingMore: "When you have declared everything, confirm there is nothing more.",
  confirmNothing: "I have nothing to declare",
  confirmNothingMore: "I have nothing more to declare",
  declared: "Your interest has been recorded. You will not take part on that organisation's proposals. Declare another, or confirm there is nothing more.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "panel.take_part");
  const db = getDb();
  const [declaredAt, declarations, organisations] = await Promise.all([
    getInterestsDeclaredAt(db, user.membershipId),
    listDeclarations(db, user.membershipId),
    listInterestOrganisations(db, user.decisionGroupId ?? ""),
  ]);
  return json({
    declaredOn: declaredAt ? formatDate(declaredAt) : null,
    declarations: declarations.map((d) => ({
      id: d.id,
      about: d.organisationName ?? (d.proposalReference ? `${d.proposalReference} ${d.proposalTitle ?? ""}`.trim() : ""),
      relationship: RELATIONSHIP_LABELS[d.relationship],
      isPecuniary: d.is_pecuniary === 1,
      details: d.details,
      at: formatDate(d.created_at),
    })),
    inGroup: organisations.inGroup.map((o) => ({ id: o.id, name: o.name })),
    others: organisations.others.map((o) => ({ id: o.id, name: o.name })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requirePermission(request, "panel.take_part");
  const db = getDb();
  if (form.get("intent") === "nothing") {
    await declareInterests(db, user, { nothingToDeclare: true });
    return redirect("/panel?declared=1");
  }
  return submitForm(form, OrganisationInterestSchema, async (data) => {
    await declareInterests(db, user, data);
    return redirect("/panel/interests?done=declared");
  });
}

export default function Interests() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const hasAny = data.declarations.length > 0;
  const orgError = errors?.organisationId;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {!errors && search.get("done") === "declared" ? (
        <p role="status" className="panel font-semibold">
          {copy.declared}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <p>{copy.examples}</p>
      {data.declaredOn ? (
        <p className="panel">
          {copy.declaredOn(data.declaredOn)} <Link to="/panel">{copy.goToQueue}</Link>
        </p>
      ) : null}

      <h2>{copy.yours}</h2>
      {hasAny ? (
        <div {...scrollRegion(copy.caption)}>
          <table className="table">
            <caption className="sr-only">{copy.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.about}</th>
                <th scope="col">{copy.relationship}</th>
                <th scope="col">{copy.pecuniary}</th>
                <th scope="col">{copy.details}</th>
                <th scope="col">{copy.when}</th>
              </tr>
            </thead>
            <tbody>
              {data.declarations.map((d) => (
                <tr key={d.id}>
                  <td className="break-words">{d.about}</td>
                  <td>{d.relationship}</td>
                  <td>{d.isPecuniary ? copy.yes : copy.no}</td>
                  <td className="whitespace-pre-line break-words">{d.details || "–"}</td>
                  <td className="whitespace-nowrap">{d.at}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{copy.none}</p>
      )}

      <h2>{copy.addTitle}</h2>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="declare" />
        <div className={`mb-6 ${orgError ? "border-l-4 border-red-700 pl-3" : ""}`}>
          <label htmlFor="organisationId" className="mb-1 block font-semibold">
            {copy.organisation}
          </label>
          <p id="organisationId-hint" className="mb-1 text-slate-700">
            {copy.organisationHint}
          </p>
          {orgError ? (
            <p id="organisationId-error" className="mb-1 font-semibold text-red-800">
              <span className="sr-only">Error: </span>
              {orgError}
            </p>
          ) : null}
          <select
            id="organisationId"
            name="organisationId"
            defaultValue={values.organisationId ?? ""}
            aria-describedby={`organisationId-hint${orgError ? " organisationId-error" : ""}`}
            aria-invalid={orgError ? true : undefined}
            className={`input ${orgError ? "input-error" : ""}`}
          >
            <option value="">{copy.choose}</option>
            {data.inGroup.length ? (
              <optgroup label={copy.inGroup}>
                {data.inGroup.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {data.others.length ? (
              <optgroup label={copy.others}>
                {data.others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <RadioGroup
          name="relationship"
          label={copy.relationshipLegend}
          defaultValue={values.relationship}
          error={errors?.relationship}
          options={RELATIONSHIPS.map((r) => ({ value: r, label: RELATIONSHIP_LABELS[r] }))}
        />
        <RadioGroup
          name="isPecuniary"
          label={copy.isPecuniary}
          hint={copy.isPecuniaryHint}
          defaultValue={values.isPecuniary}
          error={errors?.isPecuniary}
          options={[
            { value: "yes", label: copy.pecuniaryYes },
            { value: "no", label: copy.pecuniaryNo },
          ]}
        />
        <TextareaField name="details" label={copy.detailsLabel} hint={copy.detailsHint} rows={3} defaultValue={values.details} error={errors?.details} />
        <button type="submit" className="btn">
          {copy.declare}
        </button>
      </Form>

      <h2>{copy.nothingTitle}</h2>
      <p>{hasAny ? copy.nothingMore : copy.nothingFirst}</p>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="nothing" />
        <button type="submit" className="btn-secondary">
          {hasAny ? copy.confirmNothingMore : copy.confirmNothing}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
