import { RadioGroup, TextField } from "./ui/field";
import { TextareaField } from "./ui/textarea-field";
import { DECISION_METHOD_LABELS, DECISION_METHODS } from "~/domain/community-ballot";
import { FUND_TYPE_HINTS, FUND_TYPE_LABELS, FUND_TYPES, PHASES } from "~/domain/fund";

const copy = {
  name: "Name of the fund",
  purpose: "Purpose",
  purposeHint: "In plain English: what the fund is for and who it is for. Applicants and the public read this.",
  type: "Type of fund",
  budget: "Total budget, in pounds",
  budgetHint: "For example 4000000 or £4,000,000. The decision groups' pots must fit inside it.",
  phases: "Phases",
  phasesHint:
    "Write each date as YYYY-MM-DD, for example 2026-11-23. Each phase must start on or after the one before it. You can leave dates empty until you publish the fund.",
  decisionMethod: "Who decides?",
  decisionMethodHint: "The public page for the fund says this in plain words. Once a community vote has opened, this cannot change.",
  published: "Publish the fund?",
  publishedHint: "Anyone can read a published fund, and groups can start outline proposals for it.",
  publishedOptions: [
    { value: "yes", label: "Yes, publish it" },
    { value: "no", label: "No, keep it unpublished" },
  ],
};

/** The fields of the fund form, shared by creating and changing a fund. */
export function FundFields({ values, errors }: { values: Record<string, string | undefined>; errors?: Record<string, string> }) {
  return (
    <>
      <TextField name="name" label={copy.name} defaultValue={values.name} error={errors?.name} />
      <TextareaField name="purpose" label={copy.purpose} hint={copy.purposeHint} rows={5} defaultValue={values.purpose} error={errors?.purpose} />
      <RadioGroup
        name="type"
        label={copy.type}
        defaultValue={values.type}
        error={errors?.type}
        options={FUND_TYPES.map((t) => ({ value: t, label: `${FUND_TYPE_LABELS[t]}: ${FUND_TYPE_HINTS[t].toLowerCase()}` }))}
      />
      <TextField
        name="budget"
        label={copy.budget}
        hint={copy.budgetHint}
        inputMode="decimal"
        className="max-w-xs"
        defaultValue={values.budget}
        error={errors?.budget}
      />
      <fieldset className="mb-6" aria-describedby="phases-hint">
        <legend className="mb-1 text-xl font-bold">{copy.phases}</legend>
        <p id="phases-hint" className="text-slate-700">
          {copy.phasesHint}
        </p>
        {PHASES.map((p) => (
          <TextField key={p.field} name={p.field} label={p.label} type="date" className="max-w-xs" defaultValue={values[p.field]} error={errors?.[p.field]} />
        ))}
      </fieldset>
      <RadioGroup
        name="decisionMethod"
        label={copy.decisionMethod}
        hint={copy.decisionMethodHint}
        defaultValue={values.decisionMethod ?? "panel"}
        error={errors?.decisionMethod}
        options={DECISION_METHODS.map((m) => ({ value: m, label: DECISION_METHOD_LABELS[m] }))}
      />
      <RadioGroup
        name="isPublished"
        label={copy.published}
        hint={copy.publishedHint}
        defaultValue={values.isPublished ?? "no"}
        error={errors?.isPublished}
        options={copy.publishedOptions}
      />
    </>
  );
}
