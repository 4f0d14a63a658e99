import { RadioGroup } from "~/components/ui/field";

/** A fund's eligibility questions as radios named q_<id>, asked wherever a proposal is started. */
export function EligibilityQuestionFields({
  questions,
  values,
  errors,
}: {
  questions: readonly { id: string; text: string; options: readonly string[] }[];
  values: Record<string, string>;
  errors?: Record<string, string>;
}) {
  return (
    <>
      {questions.map((q) => (
        <RadioGroup
          key={q.id}
          name={`q_${q.id}`}
          label={q.text}
          defaultValue={values[`q_${q.id}`]}
          error={errors?.[`q_${q.id}`]}
          options={q.options.map((o) => ({ value: o, label: o }))}
        />
      ))}
    </>
  );
}
