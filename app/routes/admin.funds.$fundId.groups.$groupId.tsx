import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { DecisionGroupFields } from "~/components/decision-group-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { DecisionGroupSchema } from "~/domain/forms/fund";
import { penceToPoundsInput } from "~/domain/money";
import { listLeadOrganisations } from "~/models/directory.server";
import { getFund, getFundGroup } from "~/models/fund.server";
import { saveDecisionGroup } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { repeatedValues } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  scoring: "See the panel's scoring progress, send reminders and close scoring",
  title: (name: string) => `Change ${name}`,
  submit: "Save decision group",
  cancel: "Back to decision groups",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title(data?.group.name ?? "decision group")} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, group, organisations] = await Promise.all([getFund(db, fundId), getFundGroup(db, fundId, params.groupId ?? ""), listLeadOrganisations(db)]);
  if (!fund || !group) throw notFound();
  return json({ fund: { id: fund.id, name: fund.name }, group, organisations });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  const groupId = params.groupId ?? "";
  if (!(await getFundGroup(getDb(), fundId, groupId))) throw notFound();
  return submitForm(form, DecisionGroupSchema, async (data) => {
    await saveDecisionGroup(getDb(), admin, fundId, groupId, data);
    return redirect(`/admin/funds/${fundId}/groups?done=saved`);
  });
}

export default function EditDecisionGroup() {
  const { fund, group, organisations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? {
    name: group.name,
    area: group.area,
    areaCode: group.area_code ?? "",
    pot: penceToPoundsInput(group.pot_pence),
    minGrant: penceToPoundsInput(group.min_grant_pence),
    maxGrant: penceToPoundsInput(group.max_grant_pence),
  };
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      <h1>{copy.title(group.name)}</h1>
      <p>
        <Link to={`/admin/groups/${group.id}/scoring`}>{copy.scoring}</Link>
      </p>
      <Form method="post" noValidate>
        <CsrfInput />
        <DecisionGroupFields
          values={values}
          checked={actionData?.values ? repeatedValues(actionData.values, "leadOrganisationIds") : group.leadOrganisationIds}
          errors={actionData?.errors}
          organisations={organisations}
        />
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn">
            {copy.submit}
          </button>
          <Link to={`/admin/funds/${fund.id}/groups`}>{copy.cancel}</Link>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
