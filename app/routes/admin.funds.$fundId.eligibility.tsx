import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CheckboxGroup } from "~/components/ui/checkbox-group";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { EligibilityQuestionSchema, RemoveRowSchema } from "~/domain/forms/fund";
import { eligibilityRuleText } from "~/domain/fund";
import { getFund, listEligibilityQuestions } from "~/models/fund.server";
import { removeEligibilityQuestion, saveEligibilityQuestion } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Eligibility questions",
  intro:
    "Groups answer these questions before they start an outline proposal. An answer that makes a group ineligible stops them, and they are shown your reason. The public page lists them under who can apply.",
  none: "This fund has no eligibility questions yet.",
  kinds: { yes_no: "Yes or no", choice: "Choose one answer from a list" },
  answers: "Answers",
  reason: "Reason shown",
  change: "Change",
  remove: "Remove",
  add: "Add a question",
  editing: (n: number) => `Change question ${n}`,
  cancel: "Cancel",
  text: "Question",
  textHint: "Ask one thing, in plain English. For example: Is your group based in one of the fund's areas?",
  kind: "How is it answered?",
  yesNo: "If it is answered yes or no",
  ineligibleYesNo: "Which answer makes a group ineligible?",
  ineligibleIfYes: "Yes",
  ineligibleIfNo: "No",
  choice: "If it is answered from a list",
  options: "The answers, one on each line",
  optionsHint: "At least 2. Groups choose one of them.",
  ineligibleChoices: "The answers that make a group ineligible, one on each line",
  ineligibleChoicesHint: "Write each exactly as it is in the list of answers.",
  ineligibleReason: "Reason a group cannot apply",
  ineligibleReasonHint: "Shown to a group that gives one of these answers. Say why, in plain English.",
  saveNew: "Add question",
  saveEdit: "Save question",
  done: { added: "Question added.", saved: "Question saved.", removed: "Question removed." } as Record<string, string>,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, questions] = await Promise.all([getFund(db, fundId), listEligibilityQuestions(db, fundId)]);
  if (!fund) throw notFound();
  const url = new URL(request.url);
  const editId = url.searchParams.get("edit");
  const done = url.searchParams.get("done") ?? "";
  return json({
    fund: { id: fund.id, name: fund.name },
    questions,
    editId: questions.some((q) => q.id === editId) ? editId : null,
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  if (!(await getFund(getDb(), fundId))) throw notFound();
  if (form.get("intent") === "remove") {
    // A remove button's form has no fields to show a message on: it goes at the top.
    return submitForm(
      form,
      RemoveRowSchema,
      async (data) => {
        await removeEligibilityQuestion(getDb(), admin, fundId, data.id);
        return redirect(`/admin/funds/${fundId}/eligibility?done=removed`);
      },
      { fields: [] },
    );
  }
  return submitForm(form, EligibilityQuestionSchema, async (data) => {
    await saveEligibilityQuestion(getDb(), admin, fundId, data);
    return redirect(`/admin/funds/${fundId}/eligibility?done=${data.questionId ? "saved" : "added"}`);
  });
}

export default function EligibilityQuestions() {
  const { fund, questions, editId, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const editing = questions.find((q) => q.id === (actionData?.values ? actionData.values.questionId : editId));
  const values: Record<string, string | undefined> =
    actionData?.values ??
    (editing
      ? {
          questionId: editing.id,
          text: editing.text,
          kind: editing.kind,
          options: editing.kind === "choice" ? editing.options.join("\n") : "",
          ineligibleIfYes: editing.kind === "yes_no" && editing.ineligibleAnswers.includes("Yes") ? "on" : undefined,
          ineligibleIfNo: editing.kind === "yes_no" && editing.ineligibleAnswers.includes("No") ? "on" : undefined,
          ineligibleChoices: editing.kind === "choice" ? editing.ineligibleAnswers.join("\n") : "",
          ineligibleReason: editing.ineligibleReason,
        }
      : {});
  const formKey = `${editing?.id ?? "new"}-${done ?? ""}`;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {questions.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <ol className="mb-8 list-decimal space-y-6 pl-6">
          {questions.map((q, i) => (
            <li key={q.id}>
              <p className="mb-1 font-semibold">{q.text}</p>
              <p className="mb-1">
                {copy.kinds[q.kind]}. {copy.answers}: {q.options.join(", ")}.
              </p>
              <p className="mb-1">{eligibilityRuleText(q)}</p>
              <p className="mb-2">
                {copy.reason}: {q.ineligibleReason}
              </p>
              <div className="flex flex-wrap items-center gap-4">
                <Link to={`?edit=${q.id}#text`}>
                  {copy.change}
                  <span className="sr-only"> question {i + 1}</span>
                </Link>
                <Form method="post" className="relative">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="id" value={q.id} />
                  <button type="submit" className="btn-secondary">
                    {copy.remove}
                    <span className="sr-only"> question {i + 1}</span>
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ol>
      )}
      <h2>{editing ? copy.editing(questions.indexOf(editing) + 1) : copy.add}</h2>
      <Form method="post" noValidate key={formKey}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        {editing ? <input type="hidden" name="questionId" value={editing.id} /> : null}
        <TextareaField name="text" label={copy.text} hint={copy.textHint} rows={2} defaultValue={values.text} error={errors?.text} />
        <RadioGroup
          name="kind"
          label={copy.kind}
          defaultValue={values.kind ?? "yes_no"}
          error={errors?.kind}
          options={[
            { value: "yes_no", label: copy.kinds.yes_no },
            { value: "choice", label: copy.kinds.choice },
          ]}
        />
        <h3>{copy.yesNo}</h3>
        <CheckboxGroup
          name="ineligibleIfYes"
          legend={copy.ineligibleYesNo}
          error={errors?.ineligibleIfYes}
          options={[
            { name: "ineligibleIfYes", value: "on", label: copy.ineligibleIfYes, isChecked: Boolean(values.ineligibleIfYes) },
            { name: "ineligibleIfNo", value: "on", label: copy.ineligibleIfNo, isChecked: Boolean(values.ineligibleIfNo) },
          ]}
        />
        <h3>{copy.choice}</h3>
        <TextareaField name="options" label={copy.options} hint={copy.optionsHint} rows={5} defaultValue={values.options} error={errors?.options} />
        <TextareaField
          name="ineligibleChoices"
          label={copy.ineligibleChoices}
          hint={copy.ineligibleChoicesHint}
          rows={3}
          defaultValue={values.ineligibleChoices}
          error={errors?.ineligibleChoices}
        />
        <TextareaField
          name="ineligibleReason"
          label={copy.ineligibleReason}
          hint={copy.ineligibleReasonHint}
          rows={3}
          defaultValue={values.ineligibleReason}
          error={errors?.ineligibleReason}
        />
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn">
            {editing ? copy.saveEdit : copy.saveNew}
          </button>
          {editing ? <Link to={`/admin/funds/${fund.id}/eligibility`}>{copy.cancel}</Link> : null}
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
