import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { EqualityQuestionFields } from "~/components/equality-questions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { scrollRegion } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { differenceInNumbers, formatTenths, HIDDEN_TEXT, ROLE_GROUP_LABELS, type EqualityRoleGroup } from "~/domain/equality";
import { equalityAnswersSchema, EqualityQuestionSchema, referenceField, referenceFiguresSchema, RemoveEqualityQuestionSchema } from "~/domain/forms/equality";
import { answeredQuestionIds, getEqualityReport, listEqualityQuestions } from "~/models/equality.server";
import { getFund } from "~/models/fund.server";
import { addEqualityQuestion, recordPaperEqualityAnswer, removeEqualityQuestion, setReferenceFigures } from "~/services/equality.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Who took part (equality monitoring)",
  back: "Back to the fund",
  intro:
    "Ask the fund's panel members and applicants who they are, then compare the panel with the area. Answers are anonymous and nobody has to answer. Any number below 5 is hidden, so nobody can be picked out.",
  participantLink: "The form panel members and applicants see",
  report: "Report",
  noQuestions: "There are no questions yet. Add one below.",
  responses: (group: string, n: number | null) => `${group} who answered: ${n === null ? HIDDEN_TEXT : n}`,
  caption: (text: string) => `${text}: the panel and the applicants beside the area`,
  answer: "Answer",
  area: "The area",
  share: (group: string) => `${group}: number (share)`,
  difference: (group: string) => `${group} against the area`,
  unknown: "Not known",
  answeredQuestion: (group: string, n: number | null) => `${group} who answered this question: ${n === null ? HIDDEN_TEXT : n}.`,
  questions: "Questions and the area's figures",
  referenceHint: "The area's share for each answer, in per cent, like 12.5. Leave it blank if you do not know it.",
  saveReferences: "Save the area's figures",
  referenceOk: "The area's figures add up to 100%.",
  addQuestion: "Add a question",
  questionText: "Question",
  questionHint: "For example: What is your age?",
  options: "Answers, one on each line",
  optionsHint: 'For example: 16 to 24, 25 to 49, 50 to 64, 65 or over. We add "Prefer not to say" for you.',
  add: "Add question",
  paper: "Type in a paper form",
  paperIntro: "For forms handed in on paper, at a meeting or a drop-in. They are kept in the same anonymous way.",
  paperAs: "Who filled in the form",
  paperSave: "Add paper form",
  remove: (text: string) => `Remove the question: ${text}`,
  removeHint: "Nobody has answered this question yet, so you can still remove it.",
  saved: {
    question: "Question added.",
    references: "The area's figures are saved.",
    paper: "Paper form added.",
    removed: "Question removed.",
  } as Record<string, string>,
};

type ActionData = FormActionData & { questionId?: string };

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const [questions, report, answered] = await Promise.all([
    listEqualityQuestions(db, fund.id),
    getEqualityReport(db, fund.id),
    answeredQuestionIds(db, fund.id),
  ]);
  return json({ fund: { id: fund.id, name: fund.name }, questions, report, answered });
}

export async function action({ request, params }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const done = (what: string) => redirect(`/admin/funds/${encodeURIComponent(fund.id)}/equality?saved=${what}`, 303);
  const intent = form.get("intent");
  if (intent === "remove") {
    return submitForm(form, RemoveEqualityQuestionSchema, async (data) => {
      await removeEqualityQuestion(db, admin, fund.id, data.questionId);
      return done("removed");
    });
  }
  if (intent === "references") {
    const questionId = String(form.get("questionId") ?? "");
    const question = (await listEqualityQuestions(db, fund.id)).find((q) => q.id === questionId);
    if (!question) return formError({ form: "Choose a question of this fund." });
    return submitForm(
      form,
      referenceFiguresSchema(question.options.map((o) => o.id)),
      async (figures) => {
        await setReferenceFigures(db, admin, fund.id, question.id, figures);
        return done("references");
      },
      { extra: { questionId } },
    );
  }
  if (intent === "paper") {
    const questions = await listEqualityQuestions(db, fund.id);
    return submitForm(form, equalityAnswersSchema(questions.map((q) => ({ id: q.id, optionIds: q.options.map((o) => o.id) }))), async (data) => {
      await recordPaperEqualityAnswer(db, admin, fund.id, data, data.submission);
      return done("paper");
    });
  }
  return submitForm(form, EqualityQuestionSchema, async (data) => {
    await addEqualityQuestion(db, admin, fund.id, data, data.submission);
    return done("question");
  });
}

function Cell({ count, shareTenths }: { count: number | null; shareTenths: number | null }) {
  if (count === null || shareTenths === null) return <>{HIDDEN_TEXT}</>;
  return (
    <>
      {count} ({formatTenths(shareTenths)})
    </>
  );
}

const GROUPS: EqualityRoleGroup[] = ["panel", "applicant"];

export default function AdminEquality() {
  const { fund, questions, report, answered } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  const saved = searchParams.get("saved");
  return (
    <div className="max-w-5xl">
      <p>
        <Link to={`/admin/funds/${fund.id}`}>{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {saved && copy.saved[saved] && !errors ? (
        <p role="status" className="panel font-semibold">
          {copy.saved[saved]}
        </p>
      ) : null}
      <h1>
        {copy.title}: {fund.name}
      </h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <p>
        <Link to={`/equality/${fund.id}`}>{copy.participantLink}</Link>
      </p>

      <h2>{copy.report}</h2>
      {report.questions.length === 0 ? (
        <p>{copy.noQuestions}</p>
      ) : (
        <>
          <ul>
            {GROUPS.map((g) => (
              <li key={g}>{copy.responses(ROLE_GROUP_LABELS[g], report.responses[g])}</li>
            ))}
          </ul>
          {report.questions.map((q) => (
            <section key={q.id} aria-labelledby={`report-${q.id}`} className="mb-8">
              <h3 id={`report-${q.id}`}>{q.text}</h3>
              <p>{GROUPS.map((g) => copy.answeredQuestion(ROLE_GROUP_LABELS[g], q.groups[g].total)).join(" ")}</p>
              {q.reference.warning ? <p className="panel">{q.reference.warning}</p> : null}
              <div {...scrollRegion(copy.caption(q.text))}>
                <table className="table">
                  <caption className="sr-only">{copy.caption(q.text)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{copy.answer}</th>
                      <th scope="col">{copy.area}</th>
                      {GROUPS.map((g) => [
                        <th key={`${g}-share`} scope="col">
                          {copy.share(ROLE_GROUP_LABELS[g])}
                        </th>,
                        <th key={`${g}-diff`} scope="col">
                          {copy.difference(ROLE_GROUP_LABELS[g])}
                        </th>,
                      ])}
                    </tr>
                  </thead>
                  <tbody>
                    {q.rows.map((r) => (
                      <tr key={r.optionId}>
                        <th scope="row">{r.label}</th>
                        <td>{r.referenceTenths === null ? copy.unknown : formatTenths(r.referenceTenths)}</td>
                        {GROUPS.map((g) => {
                          const cell = r.cells[g];
                          return [
                            <td key={`${g}-share`}>
                              <Cell count={cell.count} shareTenths={cell.shareTenths} />
                            </td>,
                            <td key={`${g}-diff`}>{cell.diffTenths === null ? "–" : `${cell.diffWords} (${differenceInNumbers(cell.diffTenths)})`}</td>,
                          ];
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}

      {questions.length ? (
        <>
          <h2>{copy.questions}</h2>
          {report.questions.map((q) => (
            <Form key={q.id} method="post" noValidate className="mb-8 max-w-3xl">
              <CsrfInput />
              <input type="hidden" name="questionId" value={q.id} />
              <fieldset>
                <legend className="mb-1 text-lg font-semibold">{q.text}</legend>
                <p className="text-slate-700">{copy.referenceHint}</p>
                {q.reference.warning ? <p className="panel font-semibold">{q.reference.warning}</p> : q.reference.known ? <p>{copy.referenceOk}</p> : null}
                {q.rows.map((r) => (
                  <TextField
                    key={r.optionId}
                    name={referenceField(r.optionId)}
                    label={`${r.label} (%)`}
                    inputMode="decimal"
                    error={errors?.[referenceField(r.optionId)]}
                    defaultValue={values[referenceField(r.optionId)] ?? (r.referenceTenths === null ? "" : (r.referenceTenths / 10).toString())}
                    className="max-w-[8rem]"
                  />
                ))}
              </fieldset>
              {/* The intent rides on the buttons: Enter in a field presses the first, which saves. */}
              <button type="submit" name="intent" value="references" className="btn">
                {copy.saveReferences}
              </button>
              {answered.includes(q.id) ? null : (
                <>
                  <p className="mt-4 text-slate-700">{copy.removeHint}</p>
                  <button type="submit" name="intent" value="remove" className="btn-secondary">
                    {copy.remove(q.text)}
                  </button>
                </>
              )}
            </Form>
          ))}
        </>
      ) : null}

      <h2>{copy.addQuestion}</h2>
      <Form method="post" noValidate className="max-w-3xl">
        <CsrfInput />
        <input type="hidden" name="intent" value="question" />
        <TextField name="text" label={copy.questionText} hint={copy.questionHint} defaultValue={values.text} error={errors?.text} />
        <TextareaField name="options" label={copy.options} hint={copy.optionsHint} defaultValue={values.options} error={errors?.options} rows={5} />
        <button type="submit" className="btn">
          {copy.add}
        </button>
      </Form>

      {questions.length ? (
        <>
          <h2>{copy.paper}</h2>
          <p className="max-w-3xl">{copy.paperIntro}</p>
          <Form method="post" noValidate className="max-w-3xl">
            <CsrfInput />
            <input type="hidden" name="intent" value="paper" />
            <RadioGroup
              name="as"
              label={copy.paperAs}
              error={errors?.as}
              options={GROUPS.map((g) => ({ value: g, label: ROLE_GROUP_LABELS[g] }))}
              defaultValue={values.as}
            />
            <EqualityQuestionFields questions={questions} values={values} errors={errors} />
            <button type="submit" className="btn">
              {copy.paperSave}
            </button>
          </Form>
        </>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
