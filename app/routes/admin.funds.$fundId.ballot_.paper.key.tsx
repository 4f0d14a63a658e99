import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireOpenedBallotWork } from "~/auth/paper-ballot-guards.server";
import { BallotChoices } from "~/components/ballot-choices";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PaperBallotHeading } from "~/components/paper-ballot-heading";
import { CsrfInput } from "~/components/ui/csrf-input";
import { SelectField, TextField } from "~/components/ui/field";
import { ballotPhase, CHOICE_FIELD, pointsField } from "~/domain/community-ballot";
import { paperKeyingSchema } from "~/domain/forms/paper-ballots";
import type { PaperBallotStatus } from "~/domain/paper-ballots";
import { listBallotProjects } from "~/models/community-ballot.server";
import { listVenues } from "~/models/paper-ballots.server";
import { keyPaperBallot } from "~/services/paper-ballots.server";
import { repeatedValues } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Key a paper ballot",
  intro:
    "Type what the paper says, exactly as it is. Another person keys the same paper on their own: do not look at their keying. If the paper cannot be read, or breaks the rules (for example, too many ticks), tick that it is spoilt.",
  notOpen: "The vote is not open, so paper ballots cannot be keyed now.",
  noVenues: "Add the venues that hand out paper ballots first.",
  venues: "Venues",
  venue: "Venue the paper came from",
  voterCode: "Voter code printed on the paper",
  voterCodeHint: "For example ABCD-EFGH-JK. Small letters, spaces and dashes are fine.",
  spoilt: "This paper is spoilt",
  spoiltHint: "Tick this instead of keying choices when the paper cannot be counted.",
  choicesHint: "Tick what the voter ticked on the paper.",
  submit: "Save this keying",
  back: "Paper ballots",
  done: {
    waiting: "Saved. This paper now waits for a second person to key it.",
    counted: "Saved. Both keyings match, so the ballot is counted.",
    mismatch: "Saved. The keyings of this paper differ, so it is on the list to resolve.",
    spoilt: "Saved. Both keyings say the paper is spoilt.",
    refused: "Saved. Both keyings match, but this voter code already had a counted ballot, so this one is refused and flagged.",
  } as Record<PaperBallotStatus, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, fund, ballot } = await requireOpenedBallotWork(request, params.fundId);
  const [venues, projects] = await Promise.all([listVenues(db, ballot.id), listBallotProjects(db, ballot.id)]);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return json({
    fund,
    isOpen: ballotPhase(ballot, new Date()) === "open",
    venues: venues.map((v) => ({ value: v.id, label: v.name })),
    rules: {
      kind: ballot.kind,
      maxChoices: ballot.max_choices ?? 0,
      pointsTotal: ballot.points_total ?? 0,
      pointsMinProjects: ballot.points_min_projects ?? 0,
      budgetPence: ballot.budget_pence ?? 0,
    },
    projects,
    done: done in copy.done ? (done as PaperBallotStatus) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { db, user, fund, ballot } = await requireOpenedBallotWork(request, params.fundId);
  const projects = await listBallotProjects(db, ballot.id);
  const schema = paperKeyingSchema(
    ballot.kind,
    projects.map((p) => p.id),
  );
  return submitForm(form, schema, async (data) => {
    const { status } = await keyPaperBallot(db, user, fund.id, data);
    return redirect(`/admin/funds/${fund.id}/ballot/paper/key?done=${status}`);
  });
}

export default function KeyPaperBallot() {
  const { fund, isOpen, venues, rules, projects, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const kept = actionData?.values;
  const ticked = new Set(repeatedValues(kept, CHOICE_FIELD));
  const base = `/admin/funds/${fund.id}/ballot/paper`;
  return (
    <div className="max-w-3xl">
      <PaperBallotHeading
        fundId={fund.id}
        fundName={fund.name}
        title={copy.title}
        back={copy.back}
        errors={errors}
        status={done && !actionData ? copy.done[done] : null}
      />
      {!isOpen ? (
        <p className="font-semibold">{copy.notOpen}</p>
      ) : venues.length === 0 ? (
        <p>
          {copy.noVenues} <Link to={`${base}/venues`}>{copy.venues}</Link>
        </p>
      ) : (
        <>
          <p>{copy.intro}</p>
          {/* A fresh form after each keying: the next paper starts empty. */}
          <Form method="post" noValidate key={done ?? "form"}>
            <CsrfInput />
            <SelectField name="venueId" label={copy.venue} options={venues} defaultValue={kept?.venueId} error={errors?.venueId} />
            <TextField
              name="voterCode"
              label={copy.voterCode}
              hint={copy.voterCodeHint}
              autoComplete="off"
              spellCheck={false}
              className="max-w-xs font-mono"
              defaultValue={kept?.voterCode ?? ""}
              error={errors?.voterCode}
            />
            <BallotChoices
              rules={rules}
              projects={projects}
              ticked={ticked}
              pointsOf={(id) => kept?.[pointsField(id)] ?? ""}
              error={errors?.choices}
              hint={copy.choicesHint}
            />
            <div className="mb-6 flex items-start gap-2">
              <input
                type="checkbox"
                id="spoilt"
                name="spoilt"
                value="yes"
                defaultChecked={kept?.spoilt === "yes"}
                aria-describedby="spoilt-hint"
                className="mt-0.5 h-6 w-6 shrink-0"
              />
              <div>
                <label htmlFor="spoilt" className="font-semibold">
                  {copy.spoilt}
                </label>
                <p id="spoilt-hint" className="text-slate-700">
                  {copy.spoiltHint}
                </p>
              </div>
            </div>
            <button type="submit" className="btn">
              {copy.submit}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
