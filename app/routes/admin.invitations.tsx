import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, SelectField, TextField } from "~/components/ui/field";
import { InvitationSchema } from "~/domain/forms/auth";
import { CONSTITUENCIES, CONSTITUENCY_LABELS, INVITABLE_ROLES, ROLE_LABELS, type Constituency, type Role } from "~/domain/roles";
import { listDecisionGroups, listFundNames, listLeadOrganisations, listRecentInvitations } from "~/models/directory.server";
import { inviteUser } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { DataTable } from "~/components/ui/data-table";

const copy = {
  title: "Invite someone",
  intro:
    "Lead organisations, panel members, specialist advisers and other administrators join by invitation. They get an email with a link that works once and expires after 7 days. Applicants register themselves.",
  name: "Full name",
  email: "Email address",
  role: "Role",
  constituency: "Constituency (panel members only)",
  decisionGroup: "Decision group (panel members and advisers)",
  fund: "Fund (advisers for a whole fund)",
  organisation: "Lead organisation (lead organisation staff only)",
  submit: "Send invitation",
  bulk: "Invite many people at once from a CSV file",
  sent: (email: string) => `Invitation sent to ${email}.`,
  recent: "Recent invitations",
  caption: "Recent invitations",
  columns: ["Name", "Email", "Role", "Status"],
};

type ActionData = FormActionData & { sentTo?: string };

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "invitation.create");
  const db = getDb();
  const [groups, funds, organisations, invitations] = await Promise.all([
    listDecisionGroups(db),
    listFundNames(db),
    listLeadOrganisations(db),
    listRecentInvitations(db),
  ]);
  // ?role=lead_org&organisationId=… (from the lead organisations page) preselects those fields.
  const url = new URL(request.url);
  const role = url.searchParams.get("role") ?? "";
  const organisationId = url.searchParams.get("organisationId") ?? "";
  const preset: Record<string, string | undefined> = {
    role: (INVITABLE_ROLES as readonly string[]).includes(role) ? role : undefined,
    organisationId: organisations.some((o) => o.id === organisationId) ? organisationId : undefined,
  };
  return json({ groups, funds, organisations, invitations, preset, now: new Date().toISOString() });
}

export async function action({ request }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const admin = await requirePermission(request, "invitation.create");
  const form = await readVerifiedForm(request);
  return submitForm(form, InvitationSchema, async (data) => {
    const { role, constituency, decisionGroupId, organisationId, fundId, ...rest } = data;
    await inviteUser(getDb(), admin, {
      ...rest,
      role: role as Role,
      constituency: (constituency as Constituency | undefined) ?? null,
      decisionGroupId: decisionGroupId ?? null,
      organisationId: organisationId ?? null,
      fundId: fundId ?? null,
      submission: data.submission,
    });
    return json({ sentTo: data.email });
  });
}

export default function Invitations() {
  const { groups, funds, organisations, invitations, preset, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.sentTo ? {} : (actionData?.values ?? preset);
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {actionData?.sentTo ? (
        <p role="status" className="panel font-semibold">
          {copy.sent(actionData.sentTo)}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <p>
        <Link to="/admin/invitations/bulk">{copy.bulk}</Link>
      </p>
      <Form method="post" noValidate key={actionData?.sentTo ?? "form"}>
        <CsrfInput />
        <TextField name="name" label={copy.name} defaultValue={values.name} error={errors?.name} />
        <TextField name="email" label={copy.email} type="email" spellCheck={false} defaultValue={values.email} error={errors?.email} />
        <RadioGroup
          name="role"
          label={copy.role}
          defaultValue={values.role}
          error={errors?.role}
          options={INVITABLE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        />
        <SelectField
          name="constituency"
          label={copy.constituency}
          defaultValue={values.constituency}
          error={errors?.constituency}
          options={CONSTITUENCIES.map((c) => ({ value: c, label: CONSTITUENCY_LABELS[c] }))}
        />
        <SelectField
          name="decisionGroupId"
          label={copy.decisionGroup}
          defaultValue={values.decisionGroupId}
          error={errors?.decisionGroupId}
          options={groups.map((g) => ({ value: g.id, label: `${g.name} (${g.fundName})` }))}
        />
        <SelectField
          name="fundId"
          label={copy.fund}
          defaultValue={values.fundId}
          error={errors?.fundId}
          options={funds.map((f) => ({ value: f.id, label: f.name }))}
        />
        <SelectField
          name="organisationId"
          label={copy.organisation}
          defaultValue={values.organisationId}
          error={errors?.organisationId}
          options={organisations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
      <h2>{copy.recent}</h2>
      {/* Focusable, named region: keyboard users can scroll the wide table at narrow widths (WCAG 2.1.1). */}
      <DataTable caption={copy.caption} columns={copy.columns}>
        {invitations.map((i) => (
          <tr key={i.id}>
            <td>{i.name}</td>
            <td className="break-all">{i.email}</td>
            <td>{ROLE_LABELS[i.role]}</td>
            <td>{i.accepted_at ? "Accepted" : i.expires_at <= now ? "Expired" : `Waiting (expires ${i.expires_at.slice(0, 10)})`}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
