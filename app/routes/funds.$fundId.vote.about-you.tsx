import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoteContext } from "~/auth/voter-session.server";
import { EqualityQuestionFields } from "~/components/equality-questions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { KEEP_WITH_VOTE_FIELD, voterEqualityAnswersSchema } from "~/domain/forms/equality";
import { listEqualityQuestions } from "~/models/equality.server";
import { hasVoterAnsweredEquality } from "~/models/paper-ballots.server";
import { recordVoterEqualityAnswer } from "~/services/equality.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "About you",
  optional: "You do not have to answer. Your vote counts either way.",
  why: "We want everyone in the area to have a say. Your answers show us who is taking part, so we can reach people who are not.",
  anonymous:
    "Unless you tick the box at the end, we do not keep your answers with your vote or with you. We only keep a note that you have answered, so we do not ask you again.",
  anonymousNoBox: "We do not keep your answers with your vote or with you. We only keep a note that you have answered, so we do not ask you again.",
  keep: "Also use my answers to show how the money was shared.",
  keepHint:
    "We keep your answers with your vote only until the votes are counted. Then we keep only totals for groups of 10 or more people, and delete the link. If you leave this empty, your answers are never kept with your vote.",
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
  const { fund, voter, phase } = await getVoteContext(db, request, fundId);
  const [questions, hasAnswered] = await Promise.all([listEqualityQuestions(db, fund.id), voter ? hasVoterAnsweredEquality(db, voter.id) : false]);
  return { fund, voter, phase, questions, hasAnswered };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { fund, voter, phase, questions, hasAnswered } = await context(request, params.fundId ?? "");
  return json({
    fund,
    isVoter: Boolean(voter),
    // A voter session exists only while the vote is open, and the count comes after the close: the box is offered before the count only.
    canKeepWithVote: phase === "open",
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
    await recordVoterEqualityAnswer(getDb(), voter.id, fund.id, data.choices, { keepWithVote: data.keepWithVote });
    return redirect(`/funds/${fund.id}/vote/about-you`, 303);
  });
}

export default function AboutYou() {
  const { fund, isVoter, canKeepWithVote, hasAnswered, questions } = useLoaderData<typeof loader>();
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
          <p>{canKeepWithVote ? copy.anonymous : copy.anonymousNoBox}</p>
          <p>{copy.skip}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <EqualityQuestionFields questions={questions} values={actionData?.values} errors={errors} />
            {canKeepWithVote ? (
              <div className="mb-6 flex items-start gap-2">
                <input
                  type="checkbox"
                  id={KEEP_WITH_VOTE_FIELD}
                  name={KEEP_WITH_VOTE_FIELD}
                  value="yes"
                  defaultChecked={actionData?.values?.[KEEP_WITH_VOTE_FIELD] === "yes"}
                  aria-describedby={`${KEEP_WITH_VOTE_FIELD}-hint${errors?.[KEEP_WITH_VOTE_FIELD] ? ` ${KEEP_WITH_VOTE_FIELD}-error` : ""}`}
                  aria-invalid={errors?.[KEEP_WITH_VOTE_FIELD] ? true : undefined}
                  className="mt-0.5 h-6 w-6 shrink-0"
                />
                <div>
                  <label htmlFor={KEEP_WITH_VOTE_FIELD} className="font-semibold">
                    {copy.keep}
                  </label>
                  <p id={`${KEEP_WITH_VOTE_FIELD}-hint`} className="text-slate-700">
                    {copy.keepHint}
                  </p>
                  {errors?.[KEEP_WITH_VOTE_FIELD] ? (
                    <p id={`${KEEP_WITH_VOTE_FIELD}-error`} className="font-semibold text-red-800">
                      {errors[KEEP_WITH_VOTE_FIELD]}
                    </p>
                  ) : null}
                </div>
              </div>
            ) : null}
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
