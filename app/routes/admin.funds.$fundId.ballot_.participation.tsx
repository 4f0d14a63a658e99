import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOpenedBallotWork } from "~/auth/paper-ballot-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { DataTable } from "~/components/ui/data-table";
import { CHANNEL_LABELS, CHANNELS, SMALLEST_VOTER_GROUP, VOTER_GROUP_HIDDEN } from "~/domain/paper-ballots";
import { getTurnout, getVoterEqualityReport } from "~/models/paper-ballots.server";

const copy = {
  title: "Who took part",
  intro:
    "Counted ballots: one for each person who voted, online or on paper. These are turnout figures, not votes for projects, so they can be shown while the vote is open. Use them to go where turnout is low.",
  back: "Community vote set-up",
  paper: "Paper ballots",
  total: (n: number) => `${n} ${n === 1 ? "person has" : "people have"} voted.`,
  byChannel: "By how they voted",
  channelColumns: ["How", "People"],
  byArea: "By area (postcode district), lowest turnout first",
  areaHint:
    "Each voter's postcode district. People who voted on paper with a printed code gave no postcode, so they count in their venue's district; anyone else with no postcode is under Not known.",
  areaColumns: ["Area", "Online", "Paper", "Total"],
  noVotes: "Nobody has voted yet.",
  equality: "Voters' answers about themselves",
  equalityIntro: `Voters may answer the fund's equality questions after they vote. The answers are not kept with the voter or their ballot. A figure is shown only when ${SMALLEST_VOTER_GROUP} or more people gave it.`,
  noQuestions: "This fund has no equality questions. Add them on the fund's equality page, and voters are asked after they vote.",
  answered: (n: number | null) => (n === null ? `Answered by: ${VOTER_GROUP_HIDDEN}` : `Answered by: ${n}`),
  equalityColumns: ["Answer", "People"],
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, fund, ballot } = await requireOpenedBallotWork(request, params.fundId, "fund.manage");
  const [turnout, equality] = await Promise.all([getTurnout(db, ballot.id), getVoterEqualityReport(db, fund.id)]);
  return json({ fund, turnout, equality });
}

export default function Participation() {
  const { fund, turnout, equality } = useLoaderData<typeof loader>();
  const base = `/admin/funds/${fund.id}/ballot`;
  return (
    <div className="max-w-4xl">
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      <p className="flex gap-6">
        <Link to={base}>{copy.back}</Link>
        <Link to={`${base}/paper`}>{copy.paper}</Link>
      </p>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <p className="text-lg font-semibold">{copy.total(turnout.total)}</p>
      <h2>{copy.byChannel}</h2>
      <DataTable caption={copy.byChannel} columns={copy.channelColumns}>
        {CHANNELS.map((c) => (
          <tr key={c}>
            <th scope="row" className="text-left">
              {CHANNEL_LABELS[c]}
            </th>
            <td className="text-right">{turnout.byChannel[c]}</td>
          </tr>
        ))}
      </DataTable>
      <h2>{copy.byArea}</h2>
      <p>{copy.areaHint}</p>
      {turnout.byArea.length === 0 ? (
        <p>{copy.noVotes}</p>
      ) : (
        <DataTable caption={copy.byArea} columns={copy.areaColumns}>
          {turnout.byArea.map((a) => (
            <tr key={a.area}>
              <th scope="row" className="text-left">
                {a.area}
              </th>
              <td className="text-right">{a.online}</td>
              <td className="text-right">{a.paper}</td>
              <td className="text-right">{a.total}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>{copy.equality}</h2>
      <p>{copy.equalityIntro}</p>
      {equality.length === 0 ? <p>{copy.noQuestions}</p> : null}
      {equality.map((q) => (
        <section key={q.question} aria-label={q.question} className="mb-6">
          <h3>{q.question}</h3>
          <p>{copy.answered(q.answered)}</p>
          {q.answered === null ? null : (
            <DataTable caption={q.question} columns={copy.equalityColumns}>
              {q.options.map((o) => (
                <tr key={o.label}>
                  <th scope="row" className="text-left">
                    {o.label}
                  </th>
                  <td className="text-right">{o.count ?? VOTER_GROUP_HIDDEN}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      ))}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
