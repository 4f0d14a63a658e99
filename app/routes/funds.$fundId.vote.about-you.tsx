import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoteContext } from "~/auth/voter-session.server";
import { EqualityQuestionFields } from "~/components/equality-questions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { voterEqualityAnswersSchema } from "~/domain/forms/equality";
import { listEqualityQuestions } from "~/models/equality.server";
import { hasVoterAnsweredEquality } from "~/models/paper-ballots.server";
import { recordVoterEqualityAnswer } from "~/services/equality.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "About you",
  optional: "You do not have to answer. Your vote counts either way.",
  why: "We want everyone in the area to have a say. Your answers show us who is taking part, so we can reach people who are not.",
  anonymous: "We do not keep your answers with your vote or with you. We only keep a note that you have answered, so we do not ask you again.",
  skip: "You can skip any question. Each one has Prefer not to say.",
  none: "There are no questions for this vote.",
  done: "You have answered. Thank you.",
  send: "Send my answers",
  back: "Back to the vote",
  joinFirst: "Join the vote and vote first. These questions come after your vote.",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

/** The vote, the voter and the fund's equality questions; without a voter session the page asks them to vote first. */
async function context(request: Request, fundId: string) {
  const db = getDb();
  const { fund, voter } = await getVoteContext(db, request, fundId);
  const [questions, hasAnswered] = await Promise.all([listEqualityQuestions(db, fund.id), voter ? hasVoterAnsweredEquality(db, voter.id) : false]);
  return { fund, voter, questions, hasAnswered };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { fund, voter, questions, hasAnswered } = await context(request, params.fundId ?? "");
  return json({
    fund,
    isVoter: Boolean(voter),
    hasAnswered,
    questions: questions.map((q) => ({ id: q.id, text: q.text, options: q.options.map((o) => ({ id: o.id, label: o.label })) })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { fund, voter, questions } = await context(request, params.fundId ?? "");
  if (!voter) return redirect(`/funds/${fund.id}/vote`);
  const schema = voterEqualityAnswersSchema(questions.map((q) => ({ id: q.id, optionIds: q.options.map((o) => o.id) })));
  return submitForm(form, schema, async (data) => {
    await recordVoterEqualityAnswer(getDb(), voter.id, fund.id, data.choices);
    return redirect(`/funds/${fund.id}/vote/about-you`, 303);
  });
}

export default function AboutYou() {
  const { fund, isVoter, hasAnswered, questions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <p>
        <Link to={`/funds/${fund.id}/vote`}>{copy.back}</Link>
      </p>
      <h1>
        {copy.title}: {fund.name}
      </h1>
      {!isVoter ? (
        <p>{copy.joinFirst}</p>
      ) : hasAnswered ? (
        <p role="status" className="panel font-semibold">
          {copy.done}
        </p>
      ) : questions.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <>
          <p className="text-lg font-semibold">{copy.optional}</p>
          <p>{copy.why}</p>
          <p>{copy.anonymous}</p>
          <p>{copy.skip}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <EqualityQuestionFields questions={questions} values={actionData?.values} errors={errors} />
            <button type="submit" className="btn">
              {copy.send}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
