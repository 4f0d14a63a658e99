import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundFields } from "~/components/fund-fields";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { FundSchema } from "~/domain/forms/fund";
import { createFund } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Create a fund",
  intro: "Start with the fund's details. After you create it you can add eligibility questions, scoring criteria and decision groups.",
  submit: "Create fund",
  back: "Back to funds",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  return submitForm(form, FundSchema, async (data) => {
    const fundId = await createFund(getDb(), admin, data, data.submission);
    return redirect(`/admin/funds/${fundId}?done=created`);
  });
}

export default function NewFund() {
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      <p>
        <Link to="/admin/funds">{copy.back}</Link>
      </p>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <FundFields values={actionData?.values ?? {}} errors={actionData?.errors} />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
