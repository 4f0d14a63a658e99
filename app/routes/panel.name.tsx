import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireDeclaredPanelMember } from "~/auth/panel-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { NamePublicationSchema } from "~/domain/forms/name-publication";
import { actingPanelMembership } from "~/models/membership.server";
import { setNamePublication } from "~/services/panel-members.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Your name in the published results",
  intro:
    "When the fund publishes its results, it shows how many residents, councillors and VCSE representatives sat on each panel. Your name is published only if you agree. Your scores and votes are never published.",
  legend: "May we publish your name as a member of this panel?",
  yes: "Yes, publish my name with my constituency",
  no: "No, count me only by my constituency",
  save: "Save my choice",
  saved: { yes: "Saved: your name will be published with the panel.", no: "Saved: you will be counted only by your constituency." },
  back: "Back to your panel home",
};

type ActionData = FormActionData & { saved?: "yes" | "no" };

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireDeclaredPanelMember(request);
  const membership = await actingPanelMembership(getDb(), user);
  return json({ isPublic: membership?.is_name_public === 1 });
}

export async function action({ request }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const form = await readVerifiedForm(request);
  const user = await requireDeclaredPanelMember(request);
  return submitForm(form, NamePublicationSchema, async (data) => {
    await setNamePublication(getDb(), user, data.isPublic === "yes");
    return json({ saved: data.isPublic });
  });
}

export default function NamePublication() {
  const { isPublic } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const current = actionData?.saved ?? actionData?.values?.isPublic ?? (isPublic ? "yes" : "no");
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      {actionData?.saved ? (
        <p role="status" className="panel font-semibold">
          {copy.saved[actionData.saved]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <RadioGroup
          name="isPublic"
          label={copy.legend}
          defaultValue={current}
          error={actionData?.errors?.isPublic}
          options={[
            { value: "yes", label: copy.yes },
            { value: "no", label: copy.no },
          ]}
        />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </Form>
      <p className="mt-6">
        <Link to="/panel">{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
