import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { DomainError } from "~/domain/errors";
import { budgetCostField, budgetItemField, budgetRowCount, measureField, outcomeField, proposalFormSchema, valuesOf } from "~/domain/forms/proposal";
import { penceToPoundsInput } from "~/domain/money";
import { MAX_OUTCOMES, NEED_LABELS, NEED_TYPES } from "~/domain/proposal";
import { can } from "~/domain/permissions";
import { awardResource, findAwardFor } from "~/models/award.server";
import { contentOf, PROPOSAL_COLUMNS } from "~/models/proposal.server";
import { refineProposal } from "~/services/awards.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";

const copy = {
  title: "Refine your proposal",
  intro:
    "Now your group has accepted the offer, you can update your proposal with what you have learned, for example new quotes or a firmer timeline. The amount of the award does not change: to ask for a different amount, ask for a variation. Every version is kept.",
  notNow: "You can refine the proposal once the offer is accepted, and until the award closes.",
  version: (n: number) => `You are editing version ${n}. Saving makes version ${n + 1}.`,
  titleLabel: "Title of your proposal",
  summary: "Summary",
  needType: "What kind of need does it meet?",
  needEvidence: "Evidence of the need",
  beneficiaries: "Who benefits?",
  beneficiaryCount: "How many people will benefit?",
  whatBuilt: "What will be built or bought?",
  budget: "Budget",
  budgetHint: "One item per line, with its cost in pounds. Leave lines you do not need blank.",
  budgetLine: (n: number) => `Budget line ${n}`,
  item: "What it is for",
  cost: "Cost in £",
  dates: "When will the project happen?",
  startDate: "Start date",
  endDate: "End date",
  dateHint: "For example, 2027-04-01.",
  outcomes: "Outcomes",
  outcomeLegend: (n: number) => `Outcome ${n}`,
  outcome: "What will be different",
  measure: "How you will measure it",
  save: "Save the refined proposal",
  back: "Back to your award",
  titleRequired: "Enter a title for your proposal",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** The award, for a member of the funded group (award.act): 404 when this person may not see it, 403 when they may see but not act on it. */
async function memberAward(request: Request, awardId: string | undefined) {
  const user = await requireUser(request);
  const award = await findAwardFor(getDb(), user, awardId ?? "");
  if (!award) throw notFound("We could not find that award.");
  if (!can(user, "award.act", awardResource(award))) throw forbidden();
  return { user, award };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { award } = await memberAward(request, params.awardId);
  const proposal = await getDb().selectFrom("proposal").select(PROPOSAL_COLUMNS).where("proposal.id", "=", award.proposal_id).executeTakeFirstOrThrow();
  return json({
    award: { id: award.id, reference: award.reference, isRefinable: award.status === "accepted" },
    version: proposal.version,
    values: valuesOf(contentOf(proposal), penceToPoundsInput),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, award } = await memberAward(request, params.awardId);
  return submitForm(form, proposalFormSchema(), async (content) => {
    if (!content.title) throw new DomainError(copy.titleRequired, "title");
    await refineProposal(getDb(), user, award.id, content);
    return redirect(`/proposals/${award.proposal_id}/versions`);
  });
}

export default function RefineProposal() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const errors = actionData?.errors;
  const values: Record<string, string> = actionData?.values ?? data.values;
  const rows = budgetRowCount(values);
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <p>
        <Link to={`/awards/${data.award.id}`}>{copy.back}</Link>
      </p>
      <h1>{copy.title}</h1>
      {!data.award.isRefinable ? (
        <p className="panel">{copy.notNow}</p>
      ) : (
        <>
          <p>{copy.intro}</p>
          <p className="font-semibold">{copy.version(data.version)}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            {/* The amount asked for stays as it was: the award's amount changes only through a variation. */}
            <input type="hidden" name="amountRequested" value={values.amountRequested ?? ""} />
            <TextField name="title" label={copy.titleLabel} defaultValue={values.title} error={errors?.title} />
            <TextareaField name="summary" label={copy.summary} rows={6} defaultValue={values.summary} error={errors?.summary} />
            <RadioGroup
              name="needType"
              label={copy.needType}
              defaultValue={values.needType}
              error={errors?.needType}
              options={NEED_TYPES.map((t) => ({ value: t, label: NEED_LABELS[t] }))}
            />
            <TextareaField name="needEvidence" label={copy.needEvidence} defaultValue={values.needEvidence} error={errors?.needEvidence} />
            <TextareaField name="beneficiaries" label={copy.beneficiaries} rows={3} defaultValue={values.beneficiaries} error={errors?.beneficiaries} />
            <TextField
              name="beneficiaryCount"
              label={copy.beneficiaryCount}
              inputMode="numeric"
              className="max-w-[10rem]"
              defaultValue={values.beneficiaryCount}
              error={errors?.beneficiaryCount}
            />
            <TextareaField name="whatBuilt" label={copy.whatBuilt} defaultValue={values.whatBuilt} error={errors?.whatBuilt} />
            <fieldset className="mb-6" aria-describedby="budget-hint">
              <legend className="mb-1 text-2xl font-bold">{copy.budget}</legend>
              <p id="budget-hint" className="text-slate-700">
                {copy.budgetHint}
              </p>
              {Array.from({ length: rows }, (_, i) => (
                <fieldset key={i} className="mb-2 border-b border-slate-300 pb-2">
                  <legend className="font-semibold">{copy.budgetLine(i + 1)}</legend>
                  <div className="flex flex-wrap gap-x-4">
                    <div className="min-w-0 flex-1 basis-64">
                      <TextField name={budgetItemField(i)} label={copy.item} defaultValue={values[budgetItemField(i)]} error={errors?.[budgetItemField(i)]} />
                    </div>
                    <div className="w-40">
                      <TextField
                        name={budgetCostField(i)}
                        label={copy.cost}
                        inputMode="decimal"
                        defaultValue={values[budgetCostField(i)]}
                        error={errors?.[budgetCostField(i)]}
                      />
                    </div>
                  </div>
                </fieldset>
              ))}
            </fieldset>
            <fieldset className="mb-6">
              <legend className="mb-1 text-2xl font-bold">{copy.dates}</legend>
              <div className="flex flex-wrap gap-x-6">
                <TextField
                  name="startDate"
                  label={copy.startDate}
                  hint={copy.dateHint}
                  type="date"
                  className="max-w-[12rem]"
                  defaultValue={values.startDate}
                  error={errors?.startDate}
                />
                <TextField
                  name="endDate"
                  label={copy.endDate}
                  hint={copy.dateHint}
                  type="date"
                  className="max-w-[12rem]"
                  defaultValue={values.endDate}
                  error={errors?.endDate}
                />
              </div>
            </fieldset>
            <fieldset className="mb-6">
              <legend className="mb-1 text-2xl font-bold">{copy.outcomes}</legend>
              {Array.from({ length: MAX_OUTCOMES }, (_, i) => (
                <fieldset key={i} className="mb-2 border-b border-slate-300 pb-2">
                  <legend className="font-semibold">{copy.outcomeLegend(i + 1)}</legend>
                  <TextField name={outcomeField(i)} label={copy.outcome} defaultValue={values[outcomeField(i)]} error={errors?.[outcomeField(i)]} />
                  <TextField name={measureField(i)} label={copy.measure} defaultValue={values[measureField(i)]} error={errors?.[measureField(i)]} />
                </fieldset>
              ))}
            </fieldset>
            <button type="submit" className="btn">
              {copy.save}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
