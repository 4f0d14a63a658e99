import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { isSurveyOpen, ROLE_GROUP_CHOICE_LABELS, SURVEY_CHOICES, SURVEY_QUESTIONS } from "~/domain/evaluation";
import { SurveyAnswerSchema } from "~/domain/forms/evaluation";
import { getEvaluatedFund, hasAnsweredSurvey, surveyRoleGroupsOf } from "~/models/evaluation.server";
import { answerSurvey } from "~/services/evaluation.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";

const copy = {
  title: "How did it go?",
  intro: (fund: string) => `You took part in ${fund}. Please tell us how it went. We use what you say to make the next round better.`,
  anonymous: "Your answers are anonymous. We do not keep your name with them. We only show answers from groups of 5 people or more.",
  notForYou: "This survey is only for people who took part in this round.",
  notOpen: "This survey opens once the decisions are published. We will email you when it opens.",
  answered: "Thank you. We have your answers.",
  alreadyAnswered: "You have already answered this survey. Thank you.",
  roleGroup: "How did you take part?",
  roleGroupHint: "You took part in more than one way. Choose the one you want to answer about.",
  comment: "Is there anything else you want to tell us? (optional)",
  commentHint: "For example, what went well, or what we should change. Please do not write your name.",
  submit: "Send my answers",
  home: "Go to your home page",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** The fund and the person's ways of taking part; 404 for no such fund, 403 for someone who did not take part. */
async function surveyFor(request: Request, fundId: string) {
  const user = await requireUser(request);
  const db = getDb();
  const fund = await getEvaluatedFund(db, fundId);
  if (!fund) throw notFound();
  const groups = await surveyRoleGroupsOf(db, fund.id, user.id);
  if (groups.length === 0) throw forbidden(copy.notForYou);
  return { user, fund, groups };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, fund, groups } = await surveyFor(request, params.fundId ?? "");
  const hasAnswered = await hasAnsweredSurvey(getDb(), fund.id, user.id);
  return json({
    fund: { id: fund.id, name: fund.name },
    isOpen: isSurveyOpen({ resultsPublishedAt: fund.results_published_at, surveySentAt: fund.survey_sent_at }),
    hasAnswered,
    roleGroups: groups.length > 1 ? groups.map((g) => ({ value: g, label: ROLE_GROUP_CHOICE_LABELS[g] })) : [],
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, fund } = await surveyFor(request, params.fundId ?? "");
  return submitForm(form, SurveyAnswerSchema, async (data) => {
    await answerSurvey(getDb(), user.id, fund.id, data);
    return redirect(`/survey/${encodeURIComponent(fund.id)}?answered=1`, 303);
  });
}

export default function Survey() {
  const { fund, isOpen, hasAnswered, roleGroups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [searchParams] = useSearchParams();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors;
  if (hasAnswered || !isOpen) {
    return (
      <div className="max-w-2xl">
        <h1>{copy.title}</h1>
        <p role="status" className="panel font-semibold">
          {!isOpen ? copy.notOpen : searchParams.get("answered") ? copy.answered : copy.alreadyAnswered}
        </p>
        <p>
          <Link to="/home">{copy.home}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-2xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro(fund.name)}</p>
      <p>{copy.anonymous}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        {roleGroups.length > 0 ? (
          <RadioGroup
            name="roleGroup"
            label={copy.roleGroup}
            hint={copy.roleGroupHint}
            options={roleGroups}
            defaultValue={values.roleGroup}
            error={errors?.roleGroup}
          />
        ) : null}
        {SURVEY_QUESTIONS.map((q) => (
          <RadioGroup
            key={q.key}
            name={q.key}
            label={q.text}
            hint={q.hint}
            options={SURVEY_CHOICES.map((c) => ({ value: c, label: q.labels[c] }))}
            defaultValue={values[q.key]}
            error={errors?.[q.key]}
          />
        ))}
        <TextareaField name="comment" label={copy.comment} hint={copy.commentHint} defaultValue={values.comment} error={errors?.comment} rows={4} />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
