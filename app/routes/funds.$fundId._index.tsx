import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ballotPhase, formatUkDateTime, usesBallot, WHO_DECIDES } from "~/domain/community-ballot";
import { eligibilityRuleText, FUND_TYPE_HINTS, FUND_TYPE_LABELS, PHASES } from "~/domain/fund";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { formatDate, submissionWindow } from "~/domain/phases";
import { bothStage } from "~/domain/panel-and-residents";
import { publicFundLinks, type PublicLinkKey } from "~/domain/public-links";
import { getBallotForFund } from "~/models/community-ballot.server";
import { getFund, listEligibilityQuestions, listGroupsWithLeadOrgs } from "~/models/fund.server";
import { countTeamsOfFund } from "~/models/community-team.server";
import { getFundPublications } from "~/models/public-links.server";
import { listPublishedMinutes } from "~/models/public-meeting.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  preview: "Preview: this fund is not public yet. Only fund administrators can see this page.",
  published: "Decisions and feedback",
  publishedIntro: "The panels have made their decisions. Read what they decided, and what we changed because of what you told us.",
  links: {
    results: "Results: who was funded and why",
    minutes: "Minutes of the panel meetings",
    json: "Open data: 360Giving JSON file",
    csv: "Open data: 360Giving CSV file",
    youSaidWeDid: "You said, we did",
  } satisfies Record<PublicLinkKey, string>,
  teams: {
    heading: "Community teams",
    intro: "Local people find ideas with their neighbours and turn them into proposals.",
    link: "See the teams and their ideas",
  },
  groupResults: (group: string) => `Results and minutes for ${group}`,
  whoDecides: "Who decides",
  meetings: "Public meetings",
  meetingsIntro: "Minutes of the meetings where the people in the room voted.",
  meetingLink: (title: string, venue: string, at: string) => `${title}, ${venue}, ${at}`,
  stage: "Where it is now",
  vote: {
    heading: "The community vote",
    notYet: "The vote has not been set up yet.",
    scheduled: (opens: string, closes: string) => `The vote opens on ${opens}. It closes on ${closes}.`,
    open: (closes: string) => `The vote is open. It closes on ${closes}.`,
    closed: "Voting has closed.",
    link: "Take part in the vote",
    rules: "The rules of the vote were fixed when it opened. Anyone can check them with this code (a SHA-256 hash):",
    rulesLink: "Read the rules (JSON)",
    results: "Results of the vote, and the ballots to recount them",
  },
  type: "Type of fund",
  budget: "Total budget",
  whoCanApply: "Who can apply",
  whoIntro: "Before you start a proposal, you will answer these questions. Your group cannot apply if:",
  noQuestions: "Any community group can apply if it is in the area or community of one of the decision groups.",
  dates: "Key dates",
  notSet: "No date yet",
  datesCaption: "Key dates for this fund",
  datesColumns: ["Phase", "Date"],
  groups: "Decision groups",
  groupsIntro: "Choose the decision group for your area or community. Talk to its lead organisation first. They will help you write your proposal.",
  noGroups: "The decision groups for this fund have not been set up yet.",
  area: "Area or community",
  pot: "Money to give out",
  grants: "Grants",
  grantRange: (min: string, max: string) => `From ${min} to ${max}`,
  leadOrganisations: "Lead organisations",
  noLeadOrganisation: "To be announced",
  start: "Start a proposal",
  startFor: (group: string) => ` for ${group}`,
  window: {
    not_open: (opens: string) => (opens ? `You can start a proposal from ${opens}.` : "You cannot start a proposal yet."),
    open: () => "",
    closed: () => "This fund is closed. You cannot start a proposal.",
  },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [user, fund] = await Promise.all([getUser(request), getFund(db, fundId)]);
  // An unpublished fund does not exist for the public; administrators may preview it.
  if (!fund || (!fund.is_published && !can(user, "fund.manage"))) throw notFound();
  const [questions, groups, publications, teamCount, minutes] = await Promise.all([
    listEligibilityQuestions(db, fund.id),
    listGroupsWithLeadOrgs(db, fund.id),
    getFundPublications(db, [fund.id]),
    countTeamsOfFund(db, fund.id),
    listPublishedMinutes(db, fund.id),
  ]);
  const publication = publications.get(fund.id);
  const ballot = usesBallot(fund.decision_method) ? await getBallotForFund(db, fund.id) : undefined;
  // Only the rules and the times: nothing about who has joined or how anyone voted.
  const vote = ballot ? { phase: ballotPhase(ballot, new Date()), opensAt: ballot.opens_at, closesAt: ballot.closes_at, rulesHash: ballot.rules_hash } : null;
  return json({
    fund,
    links: publication ? publicFundLinks(fund.id, publication) : [],
    hasResults: publication?.resultsPublished ?? false,
    questions: questions.map((q) => ({ id: q.id, text: q.text, rule: eligibilityRuleText(q), reason: q.ineligibleReason })),
    groups: groups.map((g) => ({
      ...g,
      leadOrganisations: g.leadOrganisations.map((o) => ({ id: o.id, name: o.name, contactEmail: o.contactEmail })),
    })),
    submission: submissionWindow(fund, new Date()),
    vote,
    hasTeams: teamCount > 0,
    minutes,
    stage: bothStage(fund.decision_method, vote, publication?.resultsPublished ?? false),
  });
}

export default function PublicFund() {
  const { fund, links, hasResults, questions, groups, submission, vote, hasTeams, minutes, stage } = useLoaderData<typeof loader>();
  const windowText = copy.window[submission](formatDate(fund.opens_on));
  return (
    <div className="max-w-3xl">
      {fund.is_published ? null : (
        <p role="status" className="panel font-semibold">
          {copy.preview}
        </p>
      )}
      <h1>{fund.name}</h1>
      <p className="whitespace-pre-line text-lg">{fund.purpose}</p>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.type}</dt>
        <dd className="mb-1">
          {FUND_TYPE_LABELS[fund.type]}: {FUND_TYPE_HINTS[fund.type].toLowerCase()}
        </dd>
        <dt className="font-semibold">{copy.budget}</dt>
        <dd className="mb-1">{formatPence(fund.budget_pence)}</dd>
        <dt className="font-semibold">{copy.whoDecides}</dt>
        <dd className="mb-1">{WHO_DECIDES[fund.decision_method]}</dd>
        {stage ? (
          <>
            <dt className="font-semibold">{copy.stage}</dt>
            <dd className="mb-1">{stage}</dd>
          </>
        ) : null}
      </dl>

      {usesBallot(fund.decision_method) ? (
        <section aria-labelledby="vote">
          <h2 id="vote">{copy.vote.heading}</h2>
          {!vote || vote.phase === "draft" ? (
            <p>{copy.vote.notYet}</p>
          ) : (
            <>
              <p className="font-semibold">
                {vote.phase === "scheduled"
                  ? copy.vote.scheduled(formatUkDateTime(vote.opensAt), formatUkDateTime(vote.closesAt))
                  : vote.phase === "open"
                    ? copy.vote.open(formatUkDateTime(vote.closesAt))
                    : copy.vote.closed}
              </p>
              {vote.phase === "open" ? (
                <p>
                  <Link to={`/funds/${fund.id}/vote`} className="btn">
                    {copy.vote.link}
                  </Link>
                </p>
              ) : null}
              {vote.phase === "closed" ? (
                <p>
                  <Link to={`/funds/${fund.id}/vote/results`}>{copy.vote.results}</Link>
                </p>
              ) : null}
              <p>{copy.vote.rules}</p>
              <p>
                <code className="break-all">{vote.rulesHash}</code>
              </p>
              <p>
                <a href={`/funds/${fund.id}/ballot-rules.json`}>{copy.vote.rulesLink}</a>
              </p>
            </>
          )}
        </section>
      ) : null}

      {hasTeams ? (
        <section aria-labelledby="teams">
          <h2 id="teams">{copy.teams.heading}</h2>
          <p>{copy.teams.intro}</p>
          <p>
            <Link to={`/funds/${fund.id}/teams`}>{copy.teams.link}</Link>
          </p>
        </section>
      ) : null}

      {minutes.length ? (
        <section aria-labelledby="public-meetings">
          <h2 id="public-meetings">{copy.meetings}</h2>
          <p>{copy.meetingsIntro}</p>
          <ul className="list-disc pl-6">
            {minutes.map((m) => (
              <li key={m.id}>
                <Link to={`/funds/${fund.id}/meetings/${m.id}`}>{copy.meetingLink(m.title, m.venue, formatUkDateTime(m.starts_at))}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {links.length ? (
        <section aria-labelledby="published">
          <h2 id="published">{copy.published}</h2>
          {hasResults ? <p>{copy.publishedIntro}</p> : null}
          <ul className="list-disc pl-6">
            {links.map((l) => (
              <li key={l.key}>
                <a href={l.href}>{copy.links[l.key]}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <h2>{copy.whoCanApply}</h2>
      {questions.length === 0 ? (
        <p>{copy.noQuestions}</p>
      ) : (
        <>
          <p>{copy.whoIntro}</p>
          <ul className="list-disc space-y-3 pl-6">
            {questions.map((q) => (
              <li key={q.id}>
                <span className="font-semibold">{q.text}</span> {q.rule} {q.reason}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{copy.dates}</h2>
      <table className="table">
        <caption className="sr-only">{copy.datesCaption}</caption>
        <thead>
          <tr>
            {copy.datesColumns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PHASES.map((p) => (
            <tr key={p.field}>
              <th scope="row" className="font-normal">
                {p.label}
              </th>
              <td>{formatDate(fund[p.column]) || copy.notSet}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{copy.groups}</h2>
      {groups.length === 0 ? (
        <p>{copy.noGroups}</p>
      ) : (
        <>
          <p>{copy.groupsIntro}</p>
          {windowText ? <p className="font-semibold">{windowText}</p> : null}
          <ul className="space-y-6">
            {groups.map((g) => (
              <li key={g.id} className="border-l-4 border-slate-300 pl-4">
                <h3 className="mt-0">{g.name}</h3>
                <dl className="grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
                  <dt className="font-semibold">{copy.area}</dt>
                  <dd className="mb-1">{g.area}</dd>
                  <dt className="font-semibold">{copy.pot}</dt>
                  <dd className="mb-1">{formatPence(g.pot_pence)}</dd>
                  <dt className="font-semibold">{copy.grants}</dt>
                  <dd className="mb-1">{copy.grantRange(formatPence(g.min_grant_pence), formatPence(g.max_grant_pence))}</dd>
                  <dt className="font-semibold">{copy.leadOrganisations}</dt>
                  <dd className="mb-1">
                    {g.leadOrganisations.length === 0 ? (
                      copy.noLeadOrganisation
                    ) : (
                      <ul>
                        {g.leadOrganisations.map((o) => (
                          <li key={o.id}>
                            {o.name}
                            {o.contactEmail ? (
                              <>
                                {": "}
                                <a href={`mailto:${o.contactEmail}`} className="break-all">
                                  {o.contactEmail}
                                </a>
                              </>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </dl>
                {hasResults ? (
                  <p className="mt-2">
                    <Link to={`/funds/${fund.id}/results/${g.id}`}>{copy.groupResults(g.name)}</Link>
                  </p>
                ) : null}
                {submission === "open" ? (
                  <p className="mt-3">
                    <Link to={`/proposals/new?${new URLSearchParams({ decisionGroupId: g.id })}`} className="btn">
                      {copy.start}
                      <span className="sr-only">{copy.startFor(g.name)}</span>
                    </Link>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
