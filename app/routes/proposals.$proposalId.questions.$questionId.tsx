import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { AnswerSchema } from "~/domain/forms/panel";
import { formatDate } from "~/domain/phases";
import { findQuestionForApplicant } from "~/models/scoring.server";
import { answerQuestion } from "~/services/questions.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Answer the decision panel's question",
  back: "Back to the proposal",
  asked: (date: string) => `The panel asked on ${date}:`,
  answer: "Your answer",
  answerHint: "Your answer goes to the decision panel. Answer in plain English; you can refer to your proposal.",
  send: "Send answer",
  answeredOn: (date: string) => `You answered on ${date}:`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

async function loadQuestion(
  request: Request,
  params: { proposalId?: string; questionId?: string },
): Promise<{ user: SessionUser; question: NonNullable<Awaited<ReturnType<typeof findQuestionForApplicant>>> }> {
  const user = await requirePermission(request, "question.answer");
  const question = await findQuestionForApplicant(getDb(), user.organisationId, params.proposalId ?? "", params.questionId ?? "");
  if (!question) throw notFound();
  return { user, question };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { question } = await loadQuestion(request, params);
  return json({
    question: {
      id: question.id,
      body: question.body,
      askedOn: formatDate(question.asked_at),
      answer: question.answer,
      answeredOn: question.answered_at ? formatDate(question.answered_at) : null,
    },
    proposal: { id: question.proposalId, reference: question.reference, title: question.title },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, question } = await loadQuestion(request, params);
  return submitForm(form, AnswerSchema, async (data) => {
    await answerQuestion(getDb(), user, question.id, data.answer);
    return redirect(`/proposals/${question.proposalId}?answered=1#questions`);
  });
}

export default function AnswerQuestion() {
  const { question, proposal } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={actionData?.errors} />
      <p>
        <Link to={`/proposals/${proposal.id}`}>{copy.back}</Link>
      </p>
      <p className="mb-1 text-slate-700">
        {proposal.reference} {proposal.title}
      </p>
      <h1>{copy.title}</h1>
      <p className="mb-1">{copy.asked(question.askedOn)}</p>
      <p className="panel whitespace-pre-line break-words">{question.body}</p>
      {question.answer !== null ? (
        <>
          <p className="mb-1">{copy.answeredOn(question.answeredOn ?? "")}</p>
          <p className="whitespace-pre-line break-words">{question.answer}</p>
        </>
      ) : (
        <Form method="post" noValidate>
          <CsrfInput />
          <TextareaField
            name="answer"
            label={copy.answer}
            hint={copy.answerHint}
            rows={6}
            defaultValue={actionData?.values?.answer}
            error={actionData?.errors?.answer}
          />
          <button type="submit" className="btn">
            {copy.send}
          </button>
        </Form>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
