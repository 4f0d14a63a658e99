import { RadioGroup } from "~/components/ui/field";
import { answerField } from "~/domain/forms/equality";

export interface EqualityQuestionView {
  id: string;
  text: string;
  options: readonly { id: string; label: string }[];
}

/** One radio group per equality question; every question has "Prefer not to say", and none has to be answered. */
export function EqualityQuestionFields({
  questions,
  values,
  errors,
  hint,
}: {
  questions: readonly EqualityQuestionView[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
  hint?: string;
}) {
  return (
    <>
      {questions.map((q) => (
        <RadioGroup
          key={q.id}
          name={answerField(q.id)}
          label={q.text}
          hint={hint}
          error={errors?.[answerField(q.id)]}
          options={q.options.map((o) => ({ value: o.id, label: o.label }))}
          defaultValue={values?.[answerField(q.id)]}
        />
      ))}
    </>
  );
}
