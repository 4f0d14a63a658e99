import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { AwardSettingsSchema } from "~/domain/forms/award-settings";
import { penceToPoundsInput } from "~/domain/money";
import { getAwardSettings, saveAwardSettings } from "~/services/fund-award-settings.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Payments and open data",
  back: "Back to the fund",
  intro: "How payments are checked, and how this fund's awards are identified when they are published as 360Giving open data.",
  threshold: "Second approval for payments above (£)",
  thresholdHint: "A payment above this amount counts only once another administrator approves it. The one who recorded it cannot.",
  prefix: "360Giving identifier prefix",
  prefixHint: "The prefix 360Giving registered for you, like 360G-bristolcc. Grant identifiers start with it.",
  orgId: "Funding organisation identifier",
  orgIdHint: "Your org-id.guide identifier, like GB-LAE-BST for a local authority or GB-CHC-1234567 for a charity.",
  orgName: "Funding organisation name",
  save: "Save settings",
  saved: "Settings saved.",
};

type ActionData = FormActionData & { isSaved?: boolean };

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const fund = await getAwardSettings(getDb(), params.fundId ?? "");
  if (!fund) throw notFound();
  return json({
    fund: { id: fund.id, name: fund.name },
    values: {
      threshold: penceToPoundsInput(fund.payment_approval_threshold_pence),
      funderPrefix: fund.funder_prefix,
      funderOrgId: fund.funder_org_id,
      funderOrgName: fund.funder_org_name,
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  return submitForm(form, AwardSettingsSchema, async (data, values) => {
    await saveAwardSettings(getDb(), admin, params.fundId ?? "", data);
    return json({ isSaved: true, values });
  });
}

export default function AwardSettingsPage() {
  const { fund, values: saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? saved;
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/admin/funds/${fund.id}`}>{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {actionData?.isSaved ? (
        <p role="status" className="panel font-semibold">
          {copy.saved}
        </p>
      ) : null}
      <h1>
        {copy.title}: {fund.name}
      </h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField
          name="threshold"
          label={copy.threshold}
          hint={copy.thresholdHint}
          inputMode="decimal"
          defaultValue={values.threshold}
          error={errors?.threshold}
          className="max-w-[14rem]"
        />
        <TextField
          name="funderPrefix"
          label={copy.prefix}
          hint={copy.prefixHint}
          spellCheck={false}
          defaultValue={values.funderPrefix}
          error={errors?.funderPrefix}
        />
        <TextField
          name="funderOrgId"
          label={copy.orgId}
          hint={copy.orgIdHint}
          spellCheck={false}
          defaultValue={values.funderOrgId}
          error={errors?.funderOrgId}
        />
        <TextField name="funderOrgName" label={copy.orgName} defaultValue={values.funderOrgName} error={errors?.funderOrgName} />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
