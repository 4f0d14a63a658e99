import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedMultipart } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { FileField } from "~/components/ui/file-field";
import { TextareaField } from "~/components/ui/textarea-field";
import { COUNTING_RULE_LABELS, COUNTING_RULES, TIE_RULE_LABELS, TIE_RULES, type CountingRuleId, type TieRuleId } from "~/domain/ballot-rules";
import { BALLOT_KIND_LABELS, BALLOT_KINDS, ballotPhase, formatUkDateTime, isoToUkLocal, usesBallot } from "~/domain/community-ballot";
import { BallotSetupSchema, VoterCodesSchema } from "~/domain/forms/community-ballot";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { EMPTY_SHORTLIST, SHORTLIST_RULE, voteAdvisesPanel } from "~/domain/panel-and-residents";
import {
  countPostcodes,
  getBallotCandidates,
  getBallotForFund,
  getBallotResult,
  getElectorateSummary,
  listBallotProjects,
  type BallotCandidate,
} from "~/models/community-ballot.server";
import { getFund } from "~/models/fund.server";
import { countCommunityBallot, generateVoterCodes, openBallot, recordBallotDecisions, saveBallotSetup } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

/** The largest postcode list accepted (1 MB); server.js lets the page's body be big enough for the route to say so. */
const MAX_POSTCODE_BYTES = 1024 * 1024;

const copy = {
  title: "Community vote",
  panelOnly: "This fund is decided by a panel only. To use a community vote, change who decides on the fund's page.",
  status: {
    draft: "Not opened yet. You can change the rules until you open the vote.",
    scheduled: "Opened: the rules are fixed. Voting starts at the opening time.",
    open: "Open: people are voting. The rules are fixed.",
    closed: "Closed.",
  },
  frozen: "The rules were fixed when the vote opened. Their SHA-256 hash is on the fund's public page:",
  rules: "The rules",
  kind: "Kind of ballot",
  maxChoices: "Approval: the most projects each person may choose",
  pointsTotal: "Points: how many points each person shares out",
  pointsMinProjects: "Points: the fewest projects each person must give points to",
  budget: "Budget: the amount, in pounds, each person fills with projects",
  limitsHint: "Fill in the box for the kind of ballot you chose. The others are ignored.",
  countingRule: "How the votes are counted",
  tieRule: "How a tie is broken",
  opensAt: "Voting opens (UK time)",
  closesAt: "Voting closes (UK time)",
  minAge: "Minimum age to vote (optional)",
  minAgeHint: "Leave empty if there is none. People confirm their age when they join.",
  area: "Who can vote: the area",
  areaHint: "Upload the area's postcode list, or enter the postcode beginnings people must live in. You can use both.",
  postcodeFile: "Upload the postcode list (CSV or plain text, 1 MB or smaller)",
  postcodeFileHint: "One postcode a line, or a CSV file with postcodes in it. A new list replaces the old one.",
  postcodes: "Or paste the postcodes",
  postcodesHint: "Leave empty to keep the list you have.",
  postcodesSaved: (n: number) => `${n} postcodes are on the list now.`,
  prefixes: "Postcode beginnings",
  prefixesHint: "For example BS5, BS2 9. Separate them with commas.",
  save: "Save the rules",
  open: "Open the vote",
  openHint:
    "Opening fixes the rules and the list of projects. After that nothing about them can change. The projects are the fund's eligible proposals and those in panel review:",
  noCandidates: "No proposals are eligible yet, so the vote cannot open.",
  shortlist: "The panel's shortlist",
  shortlistRule: SHORTLIST_RULE,
  emptyShortlist: EMPTY_SHORTLIST,
  onShortlist: (n: number) => `On the shortlist (${n}): these go on the ballot when you open the vote.`,
  offShortlist: (n: number) => `Not on the shortlist (${n}): these stay off the ballot.`,
  projects: "Projects on the ballot",
  electorate: (voters: number) => `${voters} people have joined the vote. Who they are is never shown, here or anywhere.`,
  codes: "Printed voter codes",
  paperBallots: "Paper ballots: keying, venues and flagged ballots",
  participation: "Who took part: turnout by area and by channel",
  codesIntro: "For people without email. Hand out one code a person at community venues. Each code lets one person vote.",
  codesMade: (made: number, used: number) => `${made} codes made, ${used} used.`,
  count: "How many codes to make",
  makeCodes: "Make codes",
  newCodes: "Your new codes. Print or copy them now: they are shown only once.",
  tooBig: "The file is bigger than 1 MB. Split it into smaller files and send each one.",
  notText: "This is not a CSV or text file. Save the list as CSV or plain text, and upload that file.",
  countTitle: "Count the ballot",
  countHint:
    "Counting reads every counted ballot (online and paper) and counts it by the rule fixed at opening, and by every other rule for comparison. The result is published at once and is never changed or redone.",
  countButton: "Count the ballot",
  countLater: "You can count after the vote closes.",
  countedAt: (at: string, n: number) => `Counted on ${at}: ${n} ballots. The result is published and cannot change.`,
  resultHash: "The result's SHA-256 hash (also in the audit trail):",
  seeResults: "See the published results",
  decideTitle: "Record the winners as decisions",
  decideHint:
    "The count's winners become decisions when you record them here. Each winning project, by the rule fixed at opening, is recorded as funded for its cost on the ballot, and every other project on the ballot as not funded. The reason each applicant reads is the count: their project's votes, the rule and the date. Each applicant is told. This is done once.",
  decideButton: "Record the winners as decisions",
  decidedAt: (at: string) => `The winners were recorded as decisions on ${at}.`,
  adviceNote:
    "In this fund the vote is advice to the panel, so the winners are not decisions. The panel decides each proposal on its decisions page, with the vote beside its scores.",
  done: {
    saved: "The rules are saved.",
    opened: "The vote is open. Its rules are fixed.",
    counted: "The ballots are counted and the results are published.",
    decided: "The winners are recorded as funded and the other projects as not funded. Each applicant has been told.",
    alreadyDecided: "The winners were already recorded as decisions. Nothing has changed.",
  } as Record<string, string>,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const ballot = await getBallotForFund(db, fund.id);
  const [postcodeCount, electorate, proposed, projects, result] = await Promise.all([
    ballot ? countPostcodes(db, ballot.id) : 0,
    ballot ? getElectorateSummary(db, ballot.id) : null,
    ballot?.opened_at ? { isShortlisting: false, candidates: [], leftOff: [] } : getBallotCandidates(db, fund.id),
    ballot?.opened_at ? listBallotProjects(db, ballot.id) : [],
    ballot ? getBallotResult(db, ballot.id) : undefined,
  ]);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return json({
    fund: { id: fund.id, name: fund.name, decisionMethod: fund.decision_method },
    ballot,
    phase: ballot ? ballotPhase(ballot, new Date()) : null,
    postcodeCount,
    electorate,
    isShortlisting: proposed.isShortlisting,
    candidates: proposed.candidates.map(candidateView),
    leftOff: proposed.leftOff.map(candidateView),
    projects: projects.map((p) => ({ id: p.id, reference: p.reference, title: p.title, costPence: p.costPence, groupName: p.groupName })),
    publication: result ? { at: formatUkDateTime(result.counted_at), ballots: result.ballot_count, hash: result.result_hash } : null,
    done: copy.done[done] ? done : null,
  });
}

const candidateView = (c: BallotCandidate) => ({
  id: c.id,
  reference: c.reference,
  title: c.title,
  costPence: c.amount_requested_pence ?? 0,
  groupName: c.groupName,
});

const isTextFile = (file: File) => /\.(csv|txt)$/i.test(file.name);

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const db = getDb();
  // The form's token is checked first, so a forged post learns nothing, not even whether the fund exists.
  let form: FormData;
  try {
    form = await readVerifiedMultipart(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_POSTCODE_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return json({ errors: { postcodeFile: copy.tooBig }, values: {} }, { status: 413 });
    throw error;
  }
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const intent = form.get("intent");
  if (intent === "open") {
    return submitForm(form, z.object({}), async () => {
      await openBallot(db, admin, fund.id);
      return redirect(`/admin/funds/${fund.id}/ballot?done=opened`);
    });
  }
  if (intent === "count") {
    return submitForm(form, z.object({}), async () => {
      await countCommunityBallot(db, admin, fund.id);
      return redirect(`/admin/funds/${fund.id}/ballot?done=counted`);
    });
  }
  if (intent === "decide") {
    return submitForm(form, z.object({}), async () => {
      const recorded = await recordBallotDecisions(db, admin, fund.id);
      return redirect(`/admin/funds/${fund.id}/ballot?done=${recorded.isAlreadyRecorded ? "alreadyDecided" : "decided"}`);
    });
  }
  if (intent === "codes") {
    return submitForm(form, VoterCodesSchema, async (data) => {
      const codes = await generateVoterCodes(db, admin, fund.id, data.count);
      // Shown once, in this answer; only their hashes are kept.
      return json({ codes, errors: {}, values: {} });
    });
  }
  const file = form.get("postcodeFile");
  form.delete("postcodeFile");
  if (typeof file === "object" && file !== null && file.size > 0) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = "\0";
    }
    if (!isTextFile(file) || text.includes("\0")) {
      const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
      return formError({ postcodeFile: copy.notText }, values);
    }
    form.set("postcodes", text);
  }
  return submitForm(form, BallotSetupSchema, async (data) => {
    await saveBallotSetup(db, admin, fund.id, data);
    return redirect(`/admin/funds/${fund.id}/ballot?done=saved`);
  });
}

type ActionData = { errors?: Record<string, string>; values?: Record<string, string>; codes?: string[] };

function CandidateList({ candidates }: { candidates: { id: string; reference: string; title: string; costPence: number; groupName: string }[] }) {
  return (
    <ul className="list-disc pl-6">
      {candidates.map((c) => (
        <li key={c.id}>
          {c.reference} {c.title}: {formatPence(c.costPence)} ({c.groupName})
        </li>
      ))}
    </ul>
  );
}

export default function BallotSetup() {
  const { fund, ballot, phase, postcodeCount, electorate, isShortlisting, candidates, leftOff, projects, publication, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors;
  const prefixes = ballot ? (JSON.parse(ballot.postcode_prefixes) as string[]).join(", ") : "";
  // The set-up form's kept input comes back only from the set-up form (it always sends "kind").
  const kept = actionData?.values?.kind !== undefined ? actionData.values : null;
  const values: Record<string, string | undefined> = kept ?? {
    kind: ballot?.kind ?? "approval",
    maxChoices: ballot?.max_choices?.toString() ?? "",
    pointsTotal: ballot?.points_total?.toString() ?? "",
    pointsMinProjects: ballot?.points_min_projects?.toString() ?? "",
    budget: ballot?.budget_pence ? penceToPoundsInput(ballot.budget_pence) : "",
    countingRule: ballot?.counting_rule ?? "equal-shares",
    tieRule: ballot?.tie_rule ?? TIE_RULES[0],
    opensAt: ballot ? isoToUkLocal(ballot.opens_at) : "",
    closesAt: ballot ? isoToUkLocal(ballot.closes_at) : "",
    minAge: ballot?.min_age?.toString() ?? "",
    prefixes,
  };
  const isFrozen = Boolean(ballot?.opened_at);
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
      {!usesBallot(fund.decisionMethod) ? (
        <p>
          {copy.panelOnly} <Link to={`/admin/funds/${fund.id}`}>{fund.name}</Link>
        </p>
      ) : null}
      {phase ? <p className="font-semibold">{copy.status[phase]}</p> : null}
      {electorate ? (
        <p>
          {copy.electorate(electorate.voters)} {copy.codesMade(electorate.codes, electorate.codesUsed)}
        </p>
      ) : null}

      {isFrozen ? (
        <ul className="mb-6 flex flex-wrap gap-x-6 gap-y-2">
          <li>
            <Link to={`/admin/funds/${fund.id}/ballot/paper`}>{copy.paperBallots}</Link>
          </li>
          <li>
            <Link to={`/admin/funds/${fund.id}/ballot/participation`}>{copy.participation}</Link>
          </li>
        </ul>
      ) : null}
      {isFrozen && ballot ? (
        <>
          <p>{copy.frozen}</p>
          <p>
            <code className="break-all">{ballot.rules_hash}</code>
          </p>
          <h2>{copy.rules}</h2>
          <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
            <dt className="font-semibold">{copy.kind}</dt>
            <dd className="mb-1">{BALLOT_KIND_LABELS[ballot.kind]}</dd>
            <dt className="font-semibold">{copy.countingRule}</dt>
            <dd className="mb-1">{COUNTING_RULE_LABELS[ballot.counting_rule as CountingRuleId] ?? ballot.counting_rule}</dd>
            <dt className="font-semibold">{copy.tieRule}</dt>
            <dd className="mb-1">{TIE_RULE_LABELS[ballot.tie_rule as TieRuleId] ?? ballot.tie_rule}</dd>
            <dt className="font-semibold">{copy.opensAt}</dt>
            <dd className="mb-1">{formatUkDateTime(ballot.opens_at)}</dd>
            <dt className="font-semibold">{copy.closesAt}</dt>
            <dd className="mb-1">{formatUkDateTime(ballot.closes_at)}</dd>
          </dl>
          <h2>{copy.projects}</h2>
          <CandidateList candidates={projects} />
          <section aria-labelledby="count-ballot">
            <h2 id="count-ballot">{copy.countTitle}</h2>
            {publication ? (
              <>
                <p>{copy.countedAt(publication.at, publication.ballots)}</p>
                <p>
                  {copy.resultHash} <code className="break-all">{publication.hash}</code>
                </p>
                <p>
                  <Link to={`/funds/${fund.id}/vote/results`}>{copy.seeResults}</Link>
                </p>
              </>
            ) : phase === "closed" ? (
              <>
                <p>{copy.countHint}</p>
                <Form method="post" encType="multipart/form-data">
                  <CsrfInput />
                  <button type="submit" name="intent" value="count" className="btn">
                    {copy.countButton}
                  </button>
                </Form>
              </>
            ) : (
              <p>
                {copy.countHint} {copy.countLater}
              </p>
            )}
          </section>
          {publication ? (
            <section aria-labelledby="record-decisions">
              <h2 id="record-decisions">{copy.decideTitle}</h2>
              {voteAdvisesPanel(fund.decisionMethod) ? (
                <p>{copy.adviceNote}</p>
              ) : ballot.decisions_recorded_at ? (
                <p>{copy.decidedAt(formatUkDateTime(ballot.decisions_recorded_at))}</p>
              ) : (
                <>
                  <p>{copy.decideHint}</p>
                  <Form method="post" encType="multipart/form-data">
                    <CsrfInput />
                    <button type="submit" name="intent" value="decide" className="btn">
                      {copy.decideButton}
                    </button>
                  </Form>
                </>
              )}
            </section>
          ) : null}
        </>
      ) : usesBallot(fund.decisionMethod) ? (
        <>
          <h2>{copy.rules}</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <CsrfInput />
            <RadioGroup
              name="kind"
              label={copy.kind}
              defaultValue={values.kind}
              error={errors?.kind}
              options={BALLOT_KINDS.map((k) => ({ value: k, label: BALLOT_KIND_LABELS[k] }))}
            />
            <fieldset className="mb-6" aria-describedby="limits-hint">
              <legend className="mb-1 font-semibold">{copy.kind}: limits</legend>
              <p id="limits-hint" className="text-slate-700">
                {copy.limitsHint}
              </p>
              <TextField
                name="maxChoices"
                label={copy.maxChoices}
                inputMode="numeric"
                className="max-w-xs"
                defaultValue={values.maxChoices}
                error={errors?.maxChoices}
              />
              <TextField
                name="pointsTotal"
                label={copy.pointsTotal}
                inputMode="numeric"
                className="max-w-xs"
                defaultValue={values.pointsTotal}
                error={errors?.pointsTotal}
              />
              <TextField
                name="pointsMinProjects"
                label={copy.pointsMinProjects}
                inputMode="numeric"
                className="max-w-xs"
                defaultValue={values.pointsMinProjects}
                error={errors?.pointsMinProjects}
              />
              <TextField name="budget" label={copy.budget} inputMode="decimal" className="max-w-xs" defaultValue={values.budget} error={errors?.budget} />
            </fieldset>
            <RadioGroup
              name="countingRule"
              label={copy.countingRule}
              defaultValue={values.countingRule}
              error={errors?.countingRule}
              options={COUNTING_RULES.map((r) => ({ value: r, label: COUNTING_RULE_LABELS[r] }))}
            />
            <RadioGroup
              name="tieRule"
              label={copy.tieRule}
              defaultValue={values.tieRule}
              error={errors?.tieRule}
              options={TIE_RULES.map((r) => ({ value: r, label: TIE_RULE_LABELS[r] }))}
            />
            <TextField name="opensAt" label={copy.opensAt} type="datetime-local" className="max-w-xs" defaultValue={values.opensAt} error={errors?.opensAt} />
            <TextField
              name="closesAt"
              label={copy.closesAt}
              type="datetime-local"
              className="max-w-xs"
              defaultValue={values.closesAt}
              error={errors?.closesAt}
            />
            <TextField
              name="minAge"
              label={copy.minAge}
              hint={copy.minAgeHint}
              inputMode="numeric"
              className="max-w-xs"
              defaultValue={values.minAge}
              error={errors?.minAge}
            />
            <fieldset className="mb-6" aria-describedby="area-hint">
              <legend className="mb-1 text-xl font-bold">{copy.area}</legend>
              <p id="area-hint" className="text-slate-700">
                {copy.areaHint} {copy.postcodesSaved(postcodeCount)}
              </p>
              <FileField
                name="postcodeFile"
                label={copy.postcodeFile}
                hint={copy.postcodeFileHint}
                accept=".csv,.txt,text/csv,text/plain"
                error={errors?.postcodeFile}
              />
              <TextareaField
                name="postcodes"
                label={copy.postcodes}
                hint={copy.postcodesHint}
                rows={4}
                defaultValue={values.postcodes}
                error={errors?.postcodes}
              />
              <TextField name="prefixes" label={copy.prefixes} hint={copy.prefixesHint} defaultValue={values.prefixes} error={errors?.prefixes} />
            </fieldset>
            <button type="submit" name="intent" value="save" className="btn">
              {copy.save}
            </button>
          </Form>
          {ballot ? (
            <>
              <h2>{copy.open}</h2>
              {isShortlisting ? (
                <section aria-labelledby="shortlist">
                  <h3 id="shortlist">{copy.shortlist}</h3>
                  <p>{copy.shortlistRule}</p>
                  {candidates.length ? (
                    <>
                      <p className="font-semibold">{copy.onShortlist(candidates.length)}</p>
                      <CandidateList candidates={candidates} />
                    </>
                  ) : null}
                  {leftOff.length ? (
                    <>
                      <p className="font-semibold">{copy.offShortlist(leftOff.length)}</p>
                      <CandidateList candidates={leftOff} />
                    </>
                  ) : null}
                </section>
              ) : null}
              {candidates.length === 0 ? (
                <p className="panel font-semibold">{isShortlisting ? copy.emptyShortlist : copy.noCandidates}</p>
              ) : (
                <>
                  {isShortlisting ? null : (
                    <>
                      <p>{copy.openHint}</p>
                      <CandidateList candidates={candidates} />
                    </>
                  )}
                  <Form method="post" encType="multipart/form-data" className="mt-4">
                    <CsrfInput />
                    <button type="submit" name="intent" value="open" className="btn">
                      {copy.open}
                    </button>
                  </Form>
                </>
              )}
            </>
          ) : null}
        </>
      ) : null}

      {ballot ? (
        <section aria-labelledby="codes">
          <h2 id="codes">{copy.codes}</h2>
          <p>{copy.codesIntro}</p>
          {actionData?.codes?.length ? (
            <div role="status" className="panel">
              <p className="font-semibold">{copy.newCodes}</p>
              <ul className="font-mono">
                {actionData.codes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <Form method="post" encType="multipart/form-data" noValidate>
            <CsrfInput />
            <TextField
              name="count"
              label={copy.count}
              inputMode="numeric"
              className="max-w-xs"
              defaultValue={actionData?.values?.count ?? ""}
              error={errors?.count}
            />
            <button type="submit" name="intent" value="codes" className="btn">
              {copy.makeCodes}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
