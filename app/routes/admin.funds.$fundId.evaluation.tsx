import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { BRISTOL_REFERENCE } from "~/domain/evaluation-reference";
import { HIDDEN_GROUP_MESSAGE, isSurveyOpen, MIN_GROUP_SIZE, processFigures, summariseSurvey, SURVEY_QUESTIONS, type GroupSummary } from "~/domain/evaluation";
import { RunningCostsSchema } from "~/domain/forms/evaluation";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { getEvaluatedFund, listSurveyAnswers, loadProcessFacts, surveyResponseCounts } from "~/models/evaluation.server";
import { sendSurvey, setRunningCosts } from "~/services/evaluation.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Evaluation",
  intro: "How the round went, from the survey people answered after the decisions and from the portal's own records.",
  survey: "The survey after decisions",
  surveyIntro:
    "Panel members, the community groups that applied and the lead organisations' staff are asked four questions and can write what they like. Answers are anonymous: the portal keeps who has answered apart from what they answered, so each person answers once and nobody can tell whose answer is whose.",
  questions: "The questions",
  open: "The survey is open.",
  notOpen: "The survey opens when the results are published, or when you send it.",
  sentOn: (date: string) => `Sent on ${date}.`,
  notSent: "Not sent yet.",
  responses: (answered: number, asked: number) => `${answered} of ${asked} ${asked === 1 ? "person" : "people"} asked have answered.`,
  send: "Send the survey",
  sendHint: "Emails everyone the survey is for who has not answered yet, with a link to it. You can send it once.",
  sent: (n: number) => `Survey sent: ${n} ${n === 1 ? "email is" : "emails are"} in the outbox.`,
  answers: "What people said",
  anonymityRule: `Each group's answers show only once ${MIN_GROUP_SIZE} or more people in it have answered, so nobody's answers can be picked out. Percentages are rounded so each row adds up to 100.`,
  bristolNote: `Bristol asked the people on its decision panels: ${BRISTOL_REFERENCE.takePartAgainPercent}% would take part again and ${BRISTOL_REFERENCE.gainedConfidencePercent}% gained confidence.`,
  source: "Source",
  empty: "No answers yet.",
  answersCount: (n: number) => `${n} answers.`,
  question: "Question",
  columns: ["Yes", "Partly or maybe", "No", "Not sure"],
  bristolColumn: "Bristol: yes",
  comments: "What they wrote",
  noComments: "Nobody wrote anything.",
  csv: "Download the figures (CSV)",
  process: "How the round ran",
  toDecisions: "From the proposal window closing to the last decision",
  toDecisionsValue: (days: number, closed: string, last: string) => `${days} days (the window closed on ${closed}; the last decision was on ${last})`,
  undecided: (n: number) => `${n} ${n === 1 ? "proposal still waits" : "proposals still wait"} for a decision.`,
  notYet: "Not yet: no decisions",
  noClosingDate: "The fund has no closing date",
  toPayment: "From decision to first payment",
  toPaymentValue: (median: number, fastest: number, slowest: number, paid: number) =>
    `${median} days in the middle case (fastest ${fastest}, slowest ${slowest}), over ${paid} ${paid === 1 ? "award" : "awards"} paid`,
  notPaid: (n: number) => `${n} ${n === 1 ? "award has" : "awards have"} no payment yet.`,
  noPayments: "No payments yet",
  feedback: "Decisions with written feedback from the panel (goal: 100%)",
  feedbackValue: (withFeedback: number, decided: number, percent: number) => `${withFeedback} of ${decided} (${percent}%)`,
  feedbackHint: "Every decision has a written reason. This counts the decisions that also came with the panel's feedback.",
  noDecisions: "No decisions yet",
  runningCosts: "Running costs as a share of the fund",
  runningCostsValue: (pence: number, percent: number, budget: number) => `${formatPence(pence)}: ${percent}% of the fund's ${formatPence(budget)}`,
  bristolCosts: `Bristol: ${BRISTOL_REFERENCE.runningCostsPercent}% over four years.`,
  noCosts: "Not entered yet",
  costsForm: "Enter the running costs",
  costsLabel: "What running the round cost, in pounds",
  costsHint: "Staff time, venues, payments to panel members, support and systems. For example, 39000.",
  noteLabel: "What the costs cover (optional)",
  saveCosts: "Save running costs",
  anythingElse: "Anything else they want to tell you (free text, optional)",
  back: "Back to the fund",
  costsSaved: "Running costs saved.",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getEvaluatedFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const [answers, counts, facts] = await Promise.all([
    listSurveyAnswers(db, fund.id),
    surveyResponseCounts(db, fund.id),
    loadProcessFacts(db, fund.id, fund.budget_pence, fund.closes_on, fund.running_costs_pence),
  ]);
  const url = new URL(request.url);
  const sent = Number(url.searchParams.get("sent"));
  return json({
    fund: { id: fund.id, name: fund.name, budgetPence: fund.budget_pence, closesOn: fund.closes_on },
    survey: {
      isOpen: isSurveyOpen({ resultsPublishedAt: fund.results_published_at, surveySentAt: fund.survey_sent_at }),
      sentAt: fund.survey_sent_at,
      ...counts,
    },
    report: summariseSurvey(answers),
    figures: processFigures(facts),
    runningCosts: { pence: fund.running_costs_pence, note: fund.running_costs_note },
    done: url.searchParams.get("done") === "costs" ? copy.costsSaved : Number.isInteger(sent) && url.searchParams.has("sent") ? copy.sent(sent) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fund = await getEvaluatedFund(getDb(), params.fundId ?? "");
  if (!fund) throw notFound();
  const back = `/admin/funds/${encodeURIComponent(fund.id)}/evaluation`;
  const intent = form.get("intent");
  if (intent === "send") {
    return submitForm(form, NoFieldsSchema, async () => {
      const n = await sendSurvey(getDb(), admin, fund.id);
      return redirect(`${back}?sent=${n}`, 303);
    });
  }
  if (intent === "costs") {
    return submitForm(form, RunningCostsSchema, async (data) => {
      await setRunningCosts(getDb(), admin, fund.id, data);
      return redirect(`${back}?done=costs`, 303);
    });
  }
  return formError({ form: "Choose what to do: send the survey, or save the running costs." });
}

function GroupReport({ group }: { group: GroupSummary }) {
  return (
    <section aria-labelledby={`group-${group.roleGroup}`} className="mb-8">
      <h3 id={`group-${group.roleGroup}`}>{group.label}</h3>
      {group.state === "empty" ? <p>{copy.empty}</p> : null}
      {group.state === "hidden" ? <p className="font-semibold">{HIDDEN_GROUP_MESSAGE}</p> : null}
      {group.state === "shown" ? (
        <>
          <p>{copy.answersCount(group.count)}</p>
          <DataTable
            caption={`${group.label}: answers to each question`}
            columns={[copy.question, ...copy.columns, ...(group.roleGroup === "panel" ? [copy.bristolColumn] : [])]}
          >
            {group.questions.map((q) => (
              <tr key={q.key}>
                <th scope="row">{q.text}</th>
                {q.choices.map((c) => (
                  <td key={c.choice}>
                    {c.percent}% ({c.count})
                  </td>
                ))}
                {group.roleGroup === "panel" ? <td>{q.bristolPercent === null ? "–" : `${q.bristolPercent}%`}</td> : null}
              </tr>
            ))}
          </DataTable>
          <h4>{copy.comments}</h4>
          {group.comments.length === 0 ? (
            <p>{copy.noComments}</p>
          ) : (
            <ul className="list-disc space-y-2 pl-6">
              {group.comments.map((c, i) => (
                <li key={i} className="whitespace-pre-line break-words">
                  {c}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}

export default function FundEvaluation() {
  const { fund, survey, report, figures, runningCosts, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const errors = actionData?.errors;
  const values = actionData?.values ?? { runningCosts: penceToPoundsInput(runningCosts.pence), runningCostsNote: runningCosts.note };
  const w = figures.windowToDecisions;
  const p = figures.decisionToFirstPayment;
  const rows: [string, string, string | null][] = [
    [
      copy.toDecisions,
      !fund.closesOn
        ? copy.noClosingDate
        : w.days === null || !w.lastDecisionOn
          ? copy.notYet
          : copy.toDecisionsValue(w.days, formatDate(fund.closesOn), formatDate(w.lastDecisionOn)),
      w.undecided > 0 ? copy.undecided(w.undecided) : null,
    ],
    [
      copy.toPayment,
      p.medianDays === null ? copy.noPayments : copy.toPaymentValue(p.medianDays, p.fastestDays!, p.slowestDays!, p.paid),
      p.notYetPaid > 0 ? copy.notPaid(p.notYetPaid) : null,
    ],
    [
      copy.feedback,
      figures.feedback.percent === null
        ? copy.noDecisions
        : copy.feedbackValue(figures.feedback.withFeedback, figures.feedback.decided, figures.feedback.percent),
      copy.feedbackHint,
    ],
    [
      copy.runningCosts,
      figures.runningCosts.pence === null || figures.runningCosts.percentOfFund === null
        ? copy.noCosts
        : copy.runningCostsValue(figures.runningCosts.pence, figures.runningCosts.percentOfFund, fund.budgetPence),
      [copy.bristolCosts, runningCosts.note].filter(Boolean).join(" "),
    ],
  ];
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {done}
        </p>
      ) : null}
      <h1>
        {copy.title}: {fund.name}
      </h1>
      <p>{copy.intro}</p>

      <h2>{copy.survey}</h2>
      <p>{copy.surveyIntro}</p>
      <p>
        {survey.isOpen ? copy.open : copy.notOpen} {survey.sentAt ? copy.sentOn(formatDate(survey.sentAt.slice(0, 10))) : copy.notSent}{" "}
        {copy.responses(survey.answered, survey.asked)}
      </p>
      <details className="mb-4">
        <summary>{copy.questions}</summary>
        <ol className="list-decimal pl-6">
          {SURVEY_QUESTIONS.map((q) => (
            <li key={q.key}>{q.text}</li>
          ))}
          <li>{copy.anythingElse}</li>
        </ol>
      </details>
      {survey.sentAt ? null : (
        <Form method="post" noValidate className="mb-6">
          <CsrfInput />
          <input type="hidden" name="intent" value="send" />
          <p id="send-hint">{copy.sendHint}</p>
          <button type="submit" className="btn" aria-describedby="send-hint">
            {copy.send}
          </button>
        </Form>
      )}

      <h2>{copy.answers}</h2>
      <p>{copy.anonymityRule}</p>
      <p>
        {copy.bristolNote} {copy.source}: <a href={BRISTOL_REFERENCE.sourceUrl}>{BRISTOL_REFERENCE.source}</a>.
      </p>
      {report.groups.map((g) => (
        <GroupReport key={g.roleGroup} group={g} />
      ))}
      {report.everyone ? <GroupReport group={report.everyone} /> : null}
      <p>
        <a href={`/admin/funds/${fund.id}/evaluation.csv`} download>
          {copy.csv}
        </a>
      </p>

      <h2>{copy.process}</h2>
      <dl className="mb-6">
        {rows.map(([label, value, note]) => (
          <div key={label} className="mb-3">
            <dt className="font-semibold">{label}</dt>
            <dd>
              {value}
              {note ? <span className="block text-slate-700">{note}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      <h3>{copy.costsForm}</h3>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="costs" />
        <TextField
          name="runningCosts"
          label={copy.costsLabel}
          hint={copy.costsHint}
          defaultValue={values.runningCosts}
          error={errors?.runningCosts}
          inputMode="decimal"
          className="max-w-[12rem]"
        />
        <TextareaField name="runningCostsNote" label={copy.noteLabel} defaultValue={values.runningCostsNote} error={errors?.runningCostsNote} rows={2} />
        <button type="submit" className="btn">
          {copy.saveCosts}
        </button>
      </Form>
      <p className="mt-6">
        <Link to={`/admin/funds/${fund.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
