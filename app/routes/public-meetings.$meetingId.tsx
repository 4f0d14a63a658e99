import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePublicMeetingRunner } from "~/auth/public-meeting-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PublicMeetingResult } from "~/components/public-meeting-result";
import { CheckboxGroup } from "~/components/ui/checkbox-group";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, SelectField, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { formatUkDateTime } from "~/domain/community-ballot";
import { CardsSchema, handsField, HandsSchema, MinutesSchema, OpenQuestionSchema, QuestionIdSchema, QuestionSchema } from "~/domain/forms/public-meeting";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { ADMISSION_LABELS, MAJORITY_ANSWERS, MAJORITY_LABELS, MEETING_RULE_LABELS, MEETING_RULES } from "~/domain/public-meeting";
import { getDoorCode, listMeetingProposals, listQuestions, type QuestionView } from "~/models/public-meeting.server";
import {
  addQuestion,
  closeQuestion,
  confirmMeetingDecisions,
  generateAttendeeCards,
  openQuestion,
  publishMinutes,
  recordHands,
  recordResult,
} from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { repeatedValues } from "~/utils/forms";

const copy = {
  back: "All public meetings",
  doorCode: "Door code",
  doorCodeHint: (url: string) => `Show this at the entrance. People go to ${url} on their phone and type the code.`,
  expires: (at: string) => `The code works until ${at}.`,
  admission: "Who can vote",
  projector: "Open the projector view",
  agenda: "Agenda",
  noQuestions: "No questions yet. Add the first one below.",
  status: { draft: "Not opened yet", open: "Open for votes", closed: "Closed: counting hands", recorded: "Result recorded" },
  voted: (n: number) => `${n} ${n === 1 ? "person has" : "people have"} voted by phone.`,
  countdown: "Countdown in seconds (optional)",
  countdownHint: "Shown on the projector. Votes are refused when it runs out.",
  open: "Open this question",
  reopen: "Open it again",
  close: "Close the question",
  hands: "Show of hands",
  handsHint: "Count the hands of people voting without a phone. These are kept apart from the phone votes and added to them.",
  handsVoters: "People who voted by show of hands",
  handsFor: (label: string) => `Hands for ${label}`,
  handsSave: "Save the show of hands",
  record: "Record the result",
  recordHint: "After this the question cannot be opened again.",
  confirm: "Confirm the winning ideas as funded",
  confirmHint: "Records a funded decision for each winning proposal, with this meeting as the reason.",
  confirmed: (at: string) => `Decisions confirmed on ${at}.`,
  add: "Add a question",
  title: "The question",
  rule: "How the room decides",
  pointsTotal: "Points each person shares",
  budget: "Money to share out (optional)",
  budgetHint: "With an amount, ideas are chosen in order of votes while the money lasts. Without one, the top idea is chosen.",
  proposal: "For a majority question: the proposal it is about (optional)",
  proposals: "Ideas from proposals",
  freeIdeas: "Other ideas, one a line",
  addSubmit: "Add the question",
  cards: "Attendee cards",
  cardsHint: "Print these and hand one to each person at the door. Each works for one person. They are shown only once.",
  cardsCount: "How many cards",
  cardsSubmit: "Make the cards",
  cardsMade: (n: number) => `${n} cards made. Print this page now: the codes are not shown again.`,
  minutes: "Minutes",
  minutesNote: "A note for the minutes (optional)",
  minutesSubmit: "Publish the minutes",
  minutesPublished: "The minutes are published on the fund's public page.",
  minutesLink: "Read the published minutes",
  done: {
    question: "Question added.",
    opened: "The question is open.",
    closed: "The question is closed. Count any hands, then record the result.",
    hands: "The show of hands is saved.",
    recorded: "The result is recorded.",
    confirmed: "The decisions are confirmed.",
    minutes: "The minutes are published.",
  } as Record<string, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.title ?? "Public meeting"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, meeting } = await requirePublicMeetingRunner(request, params.meetingId);
  const db = getDb();
  const [door, questions, proposals] = await Promise.all([getDoorCode(db, meeting.id), listQuestions(db, meeting.id), listMeetingProposals(db, meeting)]);
  const url = new URL(request.url);
  return json({
    meeting: {
      id: meeting.id,
      fundId: meeting.fund_id,
      title: meeting.title,
      fund: meeting.fundName,
      group: meeting.groupName,
      venue: meeting.venue,
      startsAt: meeting.starts_at,
      admission: meeting.admission,
      minutesPublishedAt: meeting.minutes_published_at,
      minutesNote: meeting.minutes_note,
    },
    door: door!,
    joinUrl: `${url.origin}/meet`,
    questions,
    proposals,
    canConfirm: can(user, "fund.manage"),
    done: url.searchParams.get("done") ?? "",
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, meeting } = await requirePublicMeetingRunner(request, params.meetingId);
  const db = getDb();
  const here = (done: string) => redirect(`/public-meetings/${meeting.id}?done=${done}`);
  const intent = String(form.get("intent") ?? "");
  const extra = { intent };
  switch (intent) {
    case "question":
      return submitForm(
        form,
        QuestionSchema,
        async (data) => {
          await addQuestion(db, user, meeting.id, data);
          return here("question");
        },
        { extra, errorField: "title" },
      );
    case "open":
      return submitForm(
        form,
        OpenQuestionSchema,
        async (data) => {
          await openQuestion(db, user, data.questionId, data.countdown);
          return here("opened");
        },
        { extra, fields: ["countdown"] },
      );
    case "close":
      return submitForm(
        form,
        QuestionIdSchema,
        async (data) => {
          await closeQuestion(db, user, data.questionId);
          return here("closed");
        },
        { extra },
      );
    case "hands":
      return submitForm(
        form,
        HandsSchema,
        async (data) => {
          await recordHands(db, user, data.questionId, data.hands);
          return here("hands");
        },
        { extra, errorField: "hands-voters" },
      );
    case "record":
      return submitForm(
        form,
        QuestionIdSchema,
        async (data) => {
          await recordResult(db, user, data.questionId);
          return here("recorded");
        },
        { extra },
      );
    case "confirm":
      return submitForm(
        form,
        QuestionIdSchema,
        async (data) => {
          await confirmMeetingDecisions(db, user, data.questionId);
          return here("confirmed");
        },
        { extra },
      );
    case "cards":
      return submitForm(form, CardsSchema, async (data) => json({ ...extra, cards: await generateAttendeeCards(db, user, meeting.id, data.count!) }), {
        extra,
        errorField: "count",
      });
    case "minutes":
      return submitForm(
        form,
        MinutesSchema,
        async (data) => {
          await publishMinutes(db, user, meeting.id, data.note);
          return here("minutes");
        },
        { extra, errorField: "note" },
      );
    default:
      return formError({ form: "Choose what to do from the page." }, {}, extra);
  }
}

function QuestionControls({ q, canOpen, canConfirm, errors }: { q: QuestionView; canOpen: boolean; canConfirm: boolean; errors?: Record<string, string> }) {
  const hidden = <input type="hidden" name="questionId" value={q.id} />;
  const handsKeys =
    q.rule === "majority"
      ? MAJORITY_ANSWERS.map((a) => ({ key: a as string, label: MAJORITY_LABELS[a] }))
      : q.options.map((o) => ({ key: o.id, label: o.label }));
  const hasProposalWinner = q.result?.rows.some((r) => r.isWinner && (r.proposalId || (q.proposalId && r.key === "yes")));
  return (
    <>
      {canOpen ? (
        <Form method="post" noValidate className="mb-4">
          <CsrfInput />
          {hidden}
          <TextField name="countdown" inputMode="numeric" label={copy.countdown} hint={copy.countdownHint} className="max-w-[8rem]" error={errors?.countdown} />
          <button type="submit" name="intent" value="open" className={q.status === "draft" ? "btn" : "btn-secondary"}>
            {q.status === "draft" ? copy.open : copy.reopen}
          </button>
        </Form>
      ) : null}
      {q.status === "open" ? (
        <Form method="post" noValidate className="mb-4">
          <CsrfInput />
          {hidden}
          <button type="submit" name="intent" value="close" className="btn">
            {copy.close}
          </button>
        </Form>
      ) : null}
      {q.status === "closed" ? (
        <>
          <Form method="post" noValidate className="mb-4">
            <CsrfInput />
            {hidden}
            <fieldset className="mb-4">
              <legend className="text-xl font-bold">{copy.hands}</legend>
              <p className="text-slate-700">{copy.handsHint}</p>
              {q.rule === "majority" ? null : (
                <TextField
                  name="hands-voters"
                  inputMode="numeric"
                  label={copy.handsVoters}
                  className="max-w-[8rem]"
                  defaultValue={q.hands ? String(q.hands.voters) : ""}
                  error={errors?.["hands-voters"]}
                />
              )}
              {handsKeys.map((k) => (
                <TextField
                  key={k.key}
                  name={handsField(k.key)}
                  inputMode="numeric"
                  label={copy.handsFor(k.label)}
                  className="max-w-[8rem]"
                  defaultValue={q.hands?.counts[k.key] !== undefined ? String(q.hands.counts[k.key]) : ""}
                  error={errors?.[handsField(k.key)]}
                />
              ))}
            </fieldset>
            <button type="submit" name="intent" value="hands" className="btn-secondary">
              {copy.handsSave}
            </button>
          </Form>
          <Form method="post" noValidate className="mb-4">
            <CsrfInput />
            {hidden}
            <p>{copy.recordHint}</p>
            <button type="submit" name="intent" value="record" className="btn">
              {copy.record}
            </button>
          </Form>
        </>
      ) : null}
      {q.status === "recorded" && canConfirm && hasProposalWinner ? (
        q.decisionsConfirmedAt ? (
          <p>{copy.confirmed(formatUkDateTime(q.decisionsConfirmedAt))}</p>
        ) : (
          <Form method="post" noValidate className="mb-4">
            <CsrfInput />
            {hidden}
            <p>{copy.confirmHint}</p>
            <button type="submit" name="intent" value="confirm" className="btn">
              {copy.confirm}
            </button>
          </Form>
        )
      ) : null}
    </>
  );
}

export default function PublicMeetingConsole() {
  const { meeting, door, joinUrl, questions, proposals, canConfirm, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "errors" in actionData ? actionData.errors : undefined;
  const kept = actionData && "values" in actionData ? actionData.values : undefined;
  const cards = actionData && "cards" in actionData ? actionData.cards : null;
  const intent = actionData?.intent;
  // The agenda runs in order, one question at a time: the closed one may reopen; otherwise the next not yet opened may open.
  const inPlay = questions.find((q) => q.status === "open" || q.status === "closed");
  const nextToOpen = inPlay ? (inPlay.status === "closed" ? inPlay.id : null) : (questions.find((q) => q.status === "draft")?.id ?? null);
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <p>
        <Link to="/public-meetings">{copy.back}</Link>
      </p>
      <h1>{meeting.title}</h1>
      <p className="text-lg">
        {meeting.fund}
        {meeting.group ? `, ${meeting.group}` : ""}. {meeting.venue}, {formatUkDateTime(meeting.startsAt)}.
      </p>
      {done && copy.done[done] && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <section className="panel mb-6" aria-labelledby="door-code">
        <h2 id="door-code">{copy.doorCode}</h2>
        <p className="font-mono text-5xl font-bold tracking-widest">{door.code}</p>
        <p>{copy.doorCodeHint(joinUrl)}</p>
        <p>{copy.expires(formatUkDateTime(door.expiresAt))}</p>
        <p>
          {copy.admission}: {ADMISSION_LABELS[meeting.admission]}
        </p>
        <p>
          <Link to={`/projector/${meeting.id}`}>{copy.projector}</Link>
        </p>
      </section>

      <h2>{copy.agenda}</h2>
      {questions.length === 0 ? <p>{copy.noQuestions}</p> : null}
      <ol className="mb-8 space-y-6">
        {questions.map((q) => (
          <li key={q.id} className="border-l-4 border-slate-300 pl-3">
            <h3 className="mb-1">
              {q.position}. {q.title}
            </h3>
            <p className="mb-1">
              {MEETING_RULE_LABELS[q.rule]}
              {q.pointsTotal ? ` (${q.pointsTotal} points each)` : ""}
              {q.budgetPence !== null ? `. Money to share out: ${formatPence(q.budgetPence)}` : ""}
            </p>
            {q.options.length ? <p className="mb-1">Ideas: {q.options.map((o) => o.label).join("; ")}</p> : null}
            <p className="mb-1 font-semibold">{copy.status[q.status]}</p>
            <p className="mb-2">{copy.voted(q.votedCount)}</p>
            {q.result ? <PublicMeetingResult title={q.title} result={q.result} /> : null}
            <QuestionControls
              q={q}
              canOpen={q.id === nextToOpen}
              canConfirm={canConfirm}
              errors={intent === "hands" || intent === "open" ? errors : undefined}
            />
          </li>
        ))}
      </ol>

      <h2>{copy.add}</h2>
      <Form method="post" noValidate className="mb-8">
        <CsrfInput />
        <TextField
          name="title"
          label={copy.title}
          defaultValue={intent === "question" ? kept?.title : undefined}
          error={intent === "question" ? errors?.title : undefined}
        />
        <RadioGroup
          name="rule"
          label={copy.rule}
          options={MEETING_RULES.map((r) => ({ value: r, label: MEETING_RULE_LABELS[r] }))}
          defaultValue={(intent === "question" ? kept?.rule : undefined) ?? "majority"}
          error={intent === "question" ? errors?.rule : undefined}
        />
        <TextField
          name="pointsTotal"
          inputMode="numeric"
          label={copy.pointsTotal}
          className="max-w-[8rem]"
          defaultValue={intent === "question" ? kept?.pointsTotal : undefined}
          error={intent === "question" ? errors?.pointsTotal : undefined}
        />
        <TextField
          name="budget"
          label={copy.budget}
          hint={copy.budgetHint}
          className="max-w-xs"
          defaultValue={intent === "question" ? kept?.budget : undefined}
          error={intent === "question" ? errors?.budget : undefined}
        />
        <SelectField
          name="proposalId"
          label={copy.proposal}
          placeholder="None: a free question"
          options={proposals.map((p) => ({ value: p.id, label: `${p.reference}: ${p.title}` }))}
          defaultValue={intent === "question" ? kept?.proposalId : undefined}
          error={intent === "question" ? errors?.proposalId : undefined}
        />
        {proposals.length ? (
          <CheckboxGroup
            name="proposalIds"
            legend={copy.proposals}
            error={intent === "question" ? errors?.proposalIds : undefined}
            options={proposals.map((p) => ({
              value: p.id,
              label: `${p.reference}: ${p.title}${p.amountPence !== null ? ` (${formatPence(p.amountPence)})` : ""}`,
              isChecked: intent === "question" && repeatedValues(kept, "proposalIds").includes(p.id),
            }))}
          />
        ) : null}
        <TextareaField
          name="freeIdeas"
          label={copy.freeIdeas}
          rows={3}
          defaultValue={intent === "question" ? kept?.freeIdeas : undefined}
          error={intent === "question" ? errors?.freeIdeas : undefined}
        />
        <button type="submit" name="intent" value="question" className="btn">
          {copy.addSubmit}
        </button>
      </Form>

      {meeting.admission === "card" ? (
        <section className="mb-8" aria-labelledby="cards">
          <h2 id="cards">{copy.cards}</h2>
          <p>{copy.cardsHint}</p>
          {cards ? (
            <>
              <p role="status" className="panel font-semibold">
                {copy.cardsMade(cards.length)}
              </p>
              <ul className="grid grid-cols-2 gap-2 font-mono text-xl">
                {cards.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </>
          ) : null}
          <Form method="post" noValidate>
            <CsrfInput />
            <TextField
              name="count"
              inputMode="numeric"
              label={copy.cardsCount}
              className="max-w-[8rem]"
              error={intent === "cards" ? errors?.count : undefined}
            />
            <button type="submit" name="intent" value="cards" className="btn-secondary">
              {copy.cardsSubmit}
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="minutes">
        <h2 id="minutes">{copy.minutes}</h2>
        {meeting.minutesPublishedAt ? (
          <p>
            {copy.minutesPublished} <Link to={`/funds/${meeting.fundId}/meetings/${meeting.id}`}>{copy.minutesLink}</Link>
          </p>
        ) : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <TextareaField
            name="note"
            label={copy.minutesNote}
            rows={3}
            defaultValue={intent === "minutes" ? kept?.note : meeting.minutesNote}
            error={intent === "minutes" ? errors?.note : undefined}
          />
          <button type="submit" name="intent" value="minutes" className="btn">
            {copy.minutesSubmit}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
