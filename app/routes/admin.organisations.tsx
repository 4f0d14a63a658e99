import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { TextareaField } from "~/components/ui/textarea-field";
import { LeadOrganisationSchema } from "~/domain/forms/fund";
import { listLeadOrganisationsWithDetails } from "~/models/fund.server";
import { registerLeadOrganisation } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { pageFrom } from "~/utils/pagination";
import { DataTable } from "~/components/ui/data-table";

const PAGE_SIZE = 25;

const copy = {
  title: "Lead organisations",
  intro:
    "Lead organisations are community anchor organisations. They help groups in a decision group's area or community of interest draft outline proposals, then support or decline them.",
  none: "No lead organisations are registered yet.",
  caption: "Lead organisations",
  columns: ["Organisation", "Contact", "Decision groups served", "Staff accounts", "Action"],
  noGroups: "None yet",
  invite: "Invite staff",
  register: "Register a lead organisation",
  registerIntro: "After you register it, invite its staff so they can sign in, and choose it as the lead organisation of one or more decision groups.",
  name: "Name of the organisation",
  contactName: "Contact's full name",
  contactEmail: "Contact's email address",
  contactEmailHint: "Shown on the fund's public page, so groups can get in touch.",
  contactPhone: "Contact's phone number (optional)",
  address: "Address (optional)",
  postcode: "Postcode (optional)",
  submit: "Register lead organisation",
  registered: "Lead organisation registered. Now invite its staff.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const url = new URL(request.url);
  const page = pageFrom(url);
  const organisations = await listLeadOrganisationsWithDetails(getDb(), page, PAGE_SIZE);
  return json({ organisations, page, isRegistered: url.searchParams.get("done") === "registered" });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  return submitForm(form, LeadOrganisationSchema, async (data) => {
    await registerLeadOrganisation(getDb(), admin, data, data.submission);
    return redirect("/admin/organisations?done=registered");
  });
}

export default function LeadOrganisations() {
  const { organisations, page, isRegistered } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  return (
    <div>
      <ErrorSummary errors={errors} />
      {isRegistered && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.registered}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      {organisations.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {organisations.rows.map((o) => (
            <tr key={o.id}>
              <th scope="row">{o.name}</th>
              <td>
                {o.contact_name}
                {o.contact_email ? (
                  <>
                    <br />
                    <span className="break-all">{o.contact_email}</span>
                  </>
                ) : null}
                {o.contact_phone ? (
                  <>
                    <br />
                    {o.contact_phone}
                  </>
                ) : null}
              </td>
              <td>
                {o.groups.length === 0 ? (
                  copy.noGroups
                ) : (
                  <ul>
                    {o.groups.map((g) => (
                      <li key={g.id}>
                        <Link to={`/admin/funds/${g.fundId}/groups/${g.id}`}>{g.name}</Link> ({g.fundName})
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{o.staffCount}</td>
              <td>
                <Link to={`/admin/invitations?${new URLSearchParams({ role: "lead_org", organisationId: o.id })}`}>
                  {copy.invite}
                  <span className="sr-only"> for {o.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={organisations.total} search={location.search} />
      <div className="max-w-3xl">
        <h2>{copy.register}</h2>
        <p>{copy.registerIntro}</p>
        <Form method="post" noValidate key={isRegistered ? "registered" : "form"}>
          <CsrfInput />
          <TextField name="name" label={copy.name} autoComplete="organization" defaultValue={values.name} error={errors?.name} />
          <TextField name="contactName" label={copy.contactName} defaultValue={values.contactName} error={errors?.contactName} />
          <TextField
            name="contactEmail"
            label={copy.contactEmail}
            hint={copy.contactEmailHint}
            type="email"
            spellCheck={false}
            defaultValue={values.contactEmail}
            error={errors?.contactEmail}
          />
          <TextField
            name="contactPhone"
            label={copy.contactPhone}
            type="tel"
            className="max-w-xs"
            defaultValue={values.contactPhone}
            error={errors?.contactPhone}
          />
          <TextareaField name="address" label={copy.address} rows={3} defaultValue={values.address} error={errors?.address} />
          <TextField name="postcode" label={copy.postcode} className="max-w-[10rem]" defaultValue={values.postcode} error={errors?.postcode} />
          <button type="submit" className="btn">
            {copy.submit}
          </button>
        </Form>
      </div>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
