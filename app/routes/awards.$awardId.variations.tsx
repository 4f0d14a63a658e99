import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { VariationRequests, VersionsTable } from "~/components/award-variations";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { VariationSchema } from "~/domain/forms/monitoring";
import { variationsView } from "~/models/variations-view.server";
import { requestVariation } from "~/services/variations.server";
import { requireAwardMember } from "~/utils/award-access.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Ask to change your grant",
  intro:
    "You can ask to change the amount, the end date or what the project will build or buy. Tell us why. The fund administrator will approve or turn down the request. We keep every version of your grant's terms.",
  kind: "What do you want to change?",
  kinds: [
    { value: "amount", label: "The amount" },
    { value: "timeline", label: "The end date" },
    { value: "scope", label: "What the project will build or buy" },
  ],
  amount: "New amount, in pounds (if you are changing the amount)",
  amountHint: "It cannot be less than you have already been paid.",
  endDate: "New end date (if you are changing the timeline)",
  scope: "The change to what you will build or buy (if you are changing the scope)",
  reason: "Why do you need this change?",
  submit: "Send the request",
  sent: "Your request has been sent to the fund administrator.",
  closed: "This grant is closed, so you cannot ask for changes.",
  reports: "Your monitoring reports",
  back: "Back to your grant",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { award } = await requireAwardMember(request, params.awardId);
  return json(await variationsView(getDb(), award));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, award } = await requireAwardMember(request, params.awardId);
  return submitForm(form, VariationSchema, async (data) => {
    await requestVariation(getDb(), user, award.id, data, data.submission);
    return redirect(`/awards/${award.id}/variations?sent=1`);
  });
}

export default function AwardVariations() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const isOpen = data.award.status === "offered" || data.award.status === "accepted";
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {!errors && search.get("sent") ? (
        <p role="status" className="panel font-semibold">
          {copy.sent}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.award.reference} · {data.award.title}
      </p>
      <h1>{copy.title}</h1>
      <p>{data.currentTerms}</p>
      {isOpen ? (
        <>
          <p>{copy.intro}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <RadioGroup name="kind" label={copy.kind} error={errors?.kind} defaultValue={values.kind} options={copy.kinds} />
            <TextField
              name="amount"
              inputMode="decimal"
              label={copy.amount}
              hint={copy.amountHint}
              error={errors?.amount}
              defaultValue={values.amount ?? ""}
              className="max-w-[12rem]"
            />
            <TextField name="endDate" type="date" label={copy.endDate} error={errors?.endDate} defaultValue={values.endDate ?? ""} />
            <TextareaField name="scope" label={copy.scope} error={errors?.scope} defaultValue={values.scope ?? ""} rows={3} />
            <TextareaField name="reason" label={copy.reason} error={errors?.reason} defaultValue={values.reason ?? ""} rows={4} />
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
        </>
      ) : (
        <p className="panel">{copy.closed}</p>
      )}
      <VariationRequests variations={data.variations} />
      <VersionsTable versions={data.versions} />
      <p className="mt-8">
        <Link to={`/awards/${data.award.id}/reports`}>{copy.reports}</Link>
      </p>
      <p>
        <Link to={`/awards/${data.award.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
