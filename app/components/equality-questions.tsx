import { Link } from "@remix-run/react";
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

/** The home pages' invitation to answer each fund's equality questions, as a panel member or an applicant. */
export function EqualityInvitations({
  funds,
  as,
  copy,
}: {
  funds: readonly { id: string; name: string }[];
  as: "panel" | "applicant";
  copy: { heading: string; body: string; link: (fund: string) => string };
}) {
  if (!funds.length) return null;
  return (
    <>
      <h2>{copy.heading}</h2>
      <p>{copy.body}</p>
      <ul className="list-disc pl-6">
        {funds.map((f) => (
          <li key={f.id}>
            <Link to={`/equality/${f.id}?as=${as}`}>{copy.link(f.name)}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
