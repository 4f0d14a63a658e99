import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { EqualityQuestionFields } from "~/components/equality-questions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import type { EqualityRoleGroup } from "~/domain/equality";
import { equalityAnswersSchema } from "~/domain/forms/equality";
import { answeredRoleGroups, equalityRoleGroupsFor, listEqualityQuestions } from "~/models/equality.server";
import { getFund } from "~/models/fund.server";
import { recordEqualityAnswer } from "~/services/equality.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";

const copy = {
  title: "Who took part",
  notForYou: "These questions are for the panel and the applicants of this fund.",
  optional: "You do not have to answer.",
  why: "We want our panels to look like the area they serve. Your answers help us check this.",
  anonymous: "We do not keep your name with your answers. We only keep a note that you have answered, so we do not ask you again.",
  skip: "You can skip any question. Each one has Prefer not to say.",
  as: { panel: "You are answering as a panel member.", applicant: "You are answering as an applicant." } as Record<EqualityRoleGroup, string>,
  other: { panel: "Answer as a panel member", applicant: "Answer as an applicant" } as Record<EqualityRoleGroup, string>,
  none: "There are no questions for this fund yet.",
  done: "You have answered. Thank you.",
  send: "Send my answers",
  home: "Go back to your home page",
};

type ActionData = FormActionData;

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** The fund, and the groups the signed-in person may answer for; 403 for anyone who is not the fund's panel or applicant. */
async function participantOf(request: Request, fundId: string) {
  const user = await requireUser(request);
  const db = getDb();
  const fund = await getFund(db, fundId);
  if (!fund) throw notFound();
  const groups = await equalityRoleGroupsFor(db, fund.id, user.id);
  if (groups.length === 0) throw forbidden(copy.notForYou);
  return { user, fund, groups };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, fund, groups } = await participantOf(request, params.fundId ?? "");
  const db = getDb();
  const [questions, answered] = await Promise.all([listEqualityQuestions(db, fund.id), answeredRoleGroups(db, fund.id, user.id)]);
  const asked = new URL(request.url).searchParams.get("as");
  const as = groups.find((g) => g === asked) ?? groups.find((g) => !answered.includes(g)) ?? groups[0]!;
  return json({
    fund: { id: fund.id, name: fund.name },
    as,
    hasAnswered: answered.includes(as),
    others: groups.filter((g) => g !== as && !answered.includes(g)),
    questions: questions.map((q) => ({ id: q.id, text: q.text, options: q.options.map((o) => ({ id: o.id, label: o.label })) })),
  });
}

export async function action({ request, params }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  // The form's token first, as for every action: a forged post is refused before anything about the fund is told.
  await requireUser(request);
  const form = await readVerifiedForm(request);
  const { user, fund } = await participantOf(request, params.fundId ?? "");
  const questions = await listEqualityQuestions(getDb(), fund.id);
  const schema = equalityAnswersSchema(questions.map((q) => ({ id: q.id, optionIds: q.options.map((o) => o.id) })));
  return submitForm(form, schema, async (data) => {
    await recordEqualityAnswer(getDb(), user, fund.id, data);
    return redirect(`/equality/${encodeURIComponent(fund.id)}?as=${data.as}`, 303);
  });
}

export default function EqualityForm() {
  const { fund, as, hasAnswered, others, questions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <h1>
        {copy.title}: {fund.name}
      </h1>
      {hasAnswered ? (
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
          <p>{copy.as[as]}</p>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="as" value={as} />
            <EqualityQuestionFields questions={questions} values={actionData?.values} errors={errors} />
            <button type="submit" className="btn">
              {copy.send}
            </button>
          </Form>
        </>
      )}
      {others.map((g) => (
        <p key={g}>
          <Link to={`/equality/${fund.id}?as=${g}`}>{copy.other[g]}</Link>
        </p>
      ))}
      <p>
        <Link to="/home">{copy.home}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
