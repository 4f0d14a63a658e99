import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getVoteContext } from "~/auth/voter-session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DataTable } from "~/components/ui/data-table";
import { percentOf, resultsView, ruleWords, type BallotResult } from "~/domain/ballot-result";
import { COUNTING_RULE_LABELS, COUNTING_RULE_SHORT_NAMES, COUNTING_RULES, parseBallotRules, type BallotKind } from "~/domain/ballot-rules";
import { formatUkDateTime } from "~/domain/community-ballot";
import { formatTenths } from "~/domain/equality";
import type { PublishedEqualityMoney } from "~/domain/equality-money";
import { formatPence } from "~/domain/money";
import { SMALLEST_VOTER_GROUP, VOTER_GROUP_HIDDEN } from "~/domain/paper-ballots";
import { getBallotResult, getEqualityMoney, getEqualitySpread, getFrozenRules, getPotAreas } from "~/models/community-ballot.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Results of the vote",
  sealed: (closes: string) =>
    `The vote is open until ${closes}. Nothing is counted until it closes. Nobody, not even the fund's staff, can see how people are voting.`,
  notOpen: "The vote has not started yet.",
  awaiting: "Voting has closed. The ballots will be counted soon, and the results published here.",
  intro: (n: number, rule: string) => `${n} ${n === 1 ? "person" : "people"} voted. The votes were counted by the rule fixed before the vote opened: ${rule}.`,
  countedAt: (at: string) => `Counted on ${at}.`,
  howCounted: "How the votes were counted",
  tie: "Ties",
  winners: (pot: string) => `Funded in ${pot}`,
  winnersCaption: (pot: string) => `Projects funded in ${pot}, in the order they were chosen`,
  spent: (spent: string, budget: string) => `${spent} of ${budget} used.`,
  moneyOf: (spent: string, budget: string) => `${spent} of ${budget}`,
  votersShare: (n: number, percent: string) => `${n} (${percent})`,
  noWinners: "No project was funded here.",
  cols: { project: "Project", cost: "Cost", votes: "Votes" },
  compare: "What each counting rule would have funded",
  compareIntro: "The result is the rule fixed before the vote. Beside it is what each of the other rules would have funded from the same ballots.",
  compareCaption: "Each counting rule's outcome",
  compareCols: ["Counting rule", "Projects funded", "Money used", "Voters with at least one funded project"],
  chosen: " (the rule used)",
  projectsCaption: (pot: string) => `Which projects each rule funds in ${pot}`,
  funded: "Funded",
  notFunded: "Not funded",
  fairness: "Is the outcome fair?",
  fairnessIntro:
    "Two tests from research on how to share a budget fairly. EJR: every group of voters who agree, and is big enough, gets its fair share. Priceable: the winners can be paid for by giving each voter the same share of the money.",
  noFairness: "Not checked for this rule.",
  spread: "Where the money goes",
  spreadCaption: "Funded money by area",
  spreadCols: ["Area", "Funded", "Share of all funded money"],
  equality: "Who voted, by equality group",
  equalityIntro: "Voters could answer questions about themselves after they voted. These are the answers as they stood when the votes were counted.",
  equalityMoney:
    "The tables below show who voted, beside the area's figure where the fund has one: a group that is a much smaller share of the voters than of the area had less say in where the money went. How much of the funded money reached each group is shown next, only for voters who agreed to it when they answered. Everyone else's answers were kept apart from their votes, so no answer of theirs can be matched to a ballot.",
  equalityHidden: `An answer is shown only when ${SMALLEST_VOTER_GROUP} or more voters gave it, so nobody can be picked out. Smaller groups show as "${VOTER_GROUP_HIDDEN}". When one hidden number could be worked out from the others, the next smallest is hidden too.`,
  equalityNone: "This vote asked voters no questions about themselves.",
  equalityAnswered: (n: number) => `${n} voters answered this question.`,
  equalityQuestionHidden: `Fewer than ${SMALLEST_VOTER_GROUP} voters answered this question, so none of its answers are shown.`,
  equalityCols: ["Answer", "Voters", "Share of voters who answered", "Share of the area"],
  money: "Funded money by equality group",
  moneyHow: (kind: BallotKind) =>
    `${
      kind === "points"
        ? "Each funded project's cost is shared among the voters who gave it points, in proportion to the points they gave."
        : "Each funded project's cost is shared equally among the voters who chose it."
    } A group's money is the sum of its voters' shares.`,
  moneyWho:
    "Only voters who agreed are counted here. When they answered the questions about themselves, they ticked a box to let us keep their answers with their vote until the count. At the count we kept only these totals and deleted the link.",
  moneyConsented: (n: number, pence: string, funded: string, percent: string) =>
    `${n} voters agreed. Their shares add up to ${pence} of the ${funded} funded (${percent}).`,
  moneyFew: `Fewer than ${SMALLEST_VOTER_GROUP} voters agreed to let us use their answers this way, so no figures are shown.`,
  moneyNotCollected: "These figures were not collected for this vote: it was counted before voters could agree to let us use their answers this way.",
  moneyHidden: `A group is shown only when ${SMALLEST_VOTER_GROUP} or more of the voters who agreed gave that answer, and its money is hidden with it. When one hidden group could be worked out from the others, the next smallest is hidden too.`,
  moneyAnswered: (n: number, pence: string) => `${n} of the voters who agreed answered this question. ${pence} of the funded money reached them.`,
  moneyQuestionHidden: `Fewer than ${SMALLEST_VOTER_GROUP} of the voters who agreed answered this question, so none of its figures are shown.`,
  moneyCaption: (question: string) => `Funded money by equality group: ${question}`,
  moneyCols: ["Answer", "Voters who agreed", "Share of them", "Funded money", "Share of their money", "Share of the area"],
  notKnown: "Not known",
  recount: "Recount it yourself",
  recountIntro:
    "Anyone can check this result. Download the ballots and the rules, and count them with any tool that reads the pabulib format, such as pabutools or equalshares.net. The ballots have no names. They are in sorted order, so nobody can tell who voted or when.",
  pbLink: (pot: string) => `Ballots and projects for ${pot} (.pb file)`,
  rulesLink: "The rules, as fixed when the vote opened (JSON)",
  hashes: "Fingerprints (SHA-256)",
  rulesHash: "Rules",
  resultHash: "Result",
  ballotsHash: "Ballots",
  back: "Back to the fund",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title}: ${data?.fund.name ?? "Fund"} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const { fund, ballot, phase } = await getVoteContext(db, request, params.fundId ?? "");
  // Nothing is stored before the count, and the count needs the close: before it, this page has no counts to show.
  const stored = phase === "closed" ? await getBallotResult(db, ballot.id) : undefined;
  const frozen = stored ? await getFrozenRules(db, fund.id) : null;
  if (!stored || !frozen) return json({ fund, phase, closesAt: ballot.closes_at, outcome: null });
  const rules = parseBallotRules(frozen.json);
  const view = resultsView(rules, JSON.parse(stored.result_json) as BallotResult);
  const [areas, equality] = await Promise.all([
    getPotAreas(
      db,
      rules.pots.map((p) => p.id),
    ),
    getEqualitySpread(db, fund.id, stored),
  ]);
  const money = getEqualityMoney(stored);
  return json({
    fund,
    phase,
    closesAt: ballot.closes_at,
    outcome: {
      ...view,
      countedAt: stored.counted_at,
      areas,
      equality,
      money,
      ballotKind: rules.ballot.kind,
      hashes: { rules: stored.rules_hash, result: stored.result_hash, ballots: stored.ballots_hash },
    },
  });
}

export default function VoteResults() {
  const { fund, phase, closesAt, outcome: results } = useLoaderData<typeof loader>();
  if (!results) {
    return (
      <div className="max-w-3xl">
        <h1>
          {copy.title}: {fund.name}
        </h1>
        <p>{phase === "closed" ? copy.awaiting : phase === "open" ? copy.sealed(formatUkDateTime(closesAt)) : copy.notOpen}</p>
        <p>
          <Link to={`/funds/${fund.id}`}>{copy.back}</Link>
        </p>
      </div>
    );
  }
  const words = ruleWords(results.chosenRule);
  const fundedTotal = results.pots.reduce((sum, p) => sum + p.spentPence, 0);
  return (
    <div className="max-w-4xl">
      <h1>
        {copy.title}: {fund.name}
      </h1>
      <p className="text-lg">{copy.intro(results.ballotCount, COUNTING_RULE_LABELS[results.chosenRule])}</p>
      <p>{copy.countedAt(formatUkDateTime(results.countedAt))}</p>
      <h2>{copy.howCounted}</h2>
      <p>{words.text}</p>
      <p>
        <strong>{copy.tie}:</strong> {words.tie}
      </p>

      {results.pots.map((pot) => (
        <section key={pot.id} aria-labelledby={`pot-${pot.id}`}>
          <h2 id={`pot-${pot.id}`}>{copy.winners(pot.name)}</h2>
          <p>{copy.spent(formatPence(pot.spentPence), formatPence(pot.budgetPence))}</p>
          {pot.winners.length === 0 ? (
            <p>{copy.noWinners}</p>
          ) : (
            <DataTable caption={copy.winnersCaption(pot.name)} columns={[copy.cols.project, copy.cols.cost, copy.cols.votes]}>
              {pot.winners.map((p) => (
                <tr key={p.id}>
                  <th scope="row" className="font-normal">
                    {p.reference} {p.title}
                  </th>
                  <td>{formatPence(p.costPence)}</td>
                  <td>{p.votes}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      ))}

      <section aria-labelledby="compare">
        <h2 id="compare">{copy.compare}</h2>
        <p>{copy.compareIntro}</p>
        <DataTable caption={copy.compareCaption} columns={copy.compareCols}>
          {results.comparison.map((r) => (
            <tr key={r.rule}>
              <th scope="row" className="font-normal">
                {COUNTING_RULE_LABELS[r.rule]}
                {r.isChosen ? <strong>{copy.chosen}</strong> : null}
              </th>
              <td>{r.fundedCount}</td>
              <td>{copy.moneyOf(formatPence(r.spentPence), formatPence(r.budgetPence))}</td>
              <td>{copy.votersShare(r.votersWithFundedProject, percentOf(r.votersWithFundedProject, results.ballotCount))}</td>
            </tr>
          ))}
        </DataTable>
        {results.pots.map((pot) => (
          <DataTable
            key={pot.id}
            caption={copy.projectsCaption(pot.name)}
            isCaptionVisible
            columns={[copy.cols.project, copy.cols.votes, copy.cols.cost, ...COUNTING_RULES.map((rule) => COUNTING_RULE_SHORT_NAMES[rule])]}
          >
            {pot.projects.map((p) => (
              <tr key={p.id}>
                <th scope="row" className="font-normal">
                  {p.reference} {p.title}
                </th>
                <td>{p.votes}</td>
                <td>{formatPence(p.costPence)}</td>
                {COUNTING_RULES.map((rule) => (
                  <td key={rule}>{p.fundedBy[rule] ? copy.funded : copy.notFunded}</td>
                ))}
              </tr>
            ))}
          </DataTable>
        ))}
      </section>

      <section aria-labelledby="fairness">
        <h2 id="fairness">{copy.fairness}</h2>
        <p>{copy.fairnessIntro}</p>
        <dl>
          {results.comparison.map((r) => (
            <div key={r.rule} className="mb-3">
              <dt className="font-semibold">{COUNTING_RULE_LABELS[r.rule]}</dt>
              {r.ejr ? <dd>{r.ejr}</dd> : null}
              {r.priceability ? <dd>{r.priceability}</dd> : null}
              {!r.ejr && !r.priceability ? <dd>{copy.noFairness}</dd> : null}
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="spread">
        <h2 id="spread">{copy.spread}</h2>
        <DataTable caption={copy.spreadCaption} columns={copy.spreadCols}>
          {results.pots.map((pot) => (
            <tr key={pot.id}>
              <th scope="row" className="font-normal">
                {results.areas[pot.id] && results.areas[pot.id] !== pot.name ? `${pot.name} (${results.areas[pot.id]})` : pot.name}
              </th>
              <td>{formatPence(pot.spentPence)}</td>
              <td>{percentOf(pot.spentPence, fundedTotal)}</td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section aria-labelledby="equality">
        <h2 id="equality">{copy.equality}</h2>
        <p>{copy.equalityIntro}</p>
        <p>{copy.equalityMoney}</p>
        <p>{copy.equalityHidden}</p>
        {results.equality.questions.length === 0 ? <p>{copy.equalityNone}</p> : null}
        {results.equality.questions.map((q, i) => (
          <section key={i} aria-labelledby={`equality-${i}`}>
            <h3 id={`equality-${i}`}>{q.question}</h3>
            {q.answered === null ? (
              <p>{copy.equalityQuestionHidden}</p>
            ) : (
              <>
                <p>{copy.equalityAnswered(q.answered)}</p>
                <DataTable caption={q.question} columns={copy.equalityCols}>
                  {q.options.map((o) => (
                    <tr key={o.label}>
                      <th scope="row" className="font-normal">
                        {o.label}
                      </th>
                      <td>{o.count ?? VOTER_GROUP_HIDDEN}</td>
                      <td>{o.count === null ? VOTER_GROUP_HIDDEN : percentOf(o.count, q.answered!)}</td>
                      <td>{o.referenceTenths === null ? copy.notKnown : formatTenths(o.referenceTenths)}</td>
                    </tr>
                  ))}
                </DataTable>
              </>
            )}
          </section>
        ))}
      </section>

      <EqualityMoneySection money={results.money} kind={results.ballotKind} />

      <section aria-labelledby="recount">
        <h2 id="recount">{copy.recount}</h2>
        <p>{copy.recountIntro}</p>
        <ul className="list-disc pl-6">
          {results.pots.map((pot) => (
            <li key={pot.id}>
              <a href={`/funds/${fund.id}/vote/ballots/${pot.id}.pb`} download>
                {copy.pbLink(pot.name)}
              </a>
            </li>
          ))}
          <li>
            <a href={`/funds/${fund.id}/ballot-rules.json`}>{copy.rulesLink}</a>
          </li>
        </ul>
        <h3>{copy.hashes}</h3>
        <dl className="grid grid-cols-1 gap-x-6 sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">{copy.rulesHash}</dt>
          <dd className="mb-1">
            <code className="break-all">{results.hashes.rules}</code>
          </dd>
          <dt className="font-semibold">{copy.resultHash}</dt>
          <dd className="mb-1">
            <code className="break-all">{results.hashes.result}</code>
          </dd>
          <dt className="font-semibold">{copy.ballotsHash}</dt>
          <dd className="mb-1">
            <code className="break-all">{results.hashes.ballots}</code>
          </dd>
        </dl>
      </section>
      <p>
        <Link to={`/funds/${fund.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

/** Funded money by equality group, from the voters who agreed (docs/decisions/0055): one table per question, hidden groups' money hidden with them. */
function EqualityMoneySection({ money, kind }: { money: PublishedEqualityMoney | null; kind: BallotKind }) {
  return (
    <section aria-labelledby="equality-money">
      <h2 id="equality-money">{copy.money}</h2>
      {money === null ? (
        <p>{copy.moneyNotCollected}</p>
      ) : money.questions.length === 0 ? (
        <p>{copy.equalityNone}</p>
      ) : (
        <>
          <p>{copy.moneyHow(kind)}</p>
          <p>{copy.moneyWho}</p>
          {money.consented === null || money.consentedPence === null ? (
            <p>{copy.moneyFew}</p>
          ) : (
            <>
              <p>
                {copy.moneyConsented(
                  money.consented,
                  formatPence(money.consentedPence),
                  formatPence(money.fundedPence),
                  percentOf(money.consentedPence, money.fundedPence),
                )}
              </p>
              <p>{copy.moneyHidden}</p>
              {money.questions.map((q, i) => (
                <section key={i} aria-labelledby={`equality-money-${i}`}>
                  <h3 id={`equality-money-${i}`}>{q.question}</h3>
                  {q.answered === null || q.pence === null ? (
                    <p>{copy.moneyQuestionHidden}</p>
                  ) : (
                    <>
                      <p>{copy.moneyAnswered(q.answered, formatPence(q.pence))}</p>
                      <DataTable caption={copy.moneyCaption(q.question)} columns={copy.moneyCols}>
                        {q.options.map((o) => (
                          <tr key={o.label}>
                            <th scope="row" className="font-normal">
                              {o.label}
                            </th>
                            <td>{o.count ?? VOTER_GROUP_HIDDEN}</td>
                            <td>{o.count === null ? VOTER_GROUP_HIDDEN : percentOf(o.count, q.answered!)}</td>
                            <td>{o.pence === null ? VOTER_GROUP_HIDDEN : formatPence(o.pence)}</td>
                            <td>{o.pence === null ? VOTER_GROUP_HIDDEN : percentOf(o.pence, q.pence!)}</td>
                            <td>{o.referenceTenths === null ? copy.notKnown : formatTenths(o.referenceTenths)}</td>
                          </tr>
                        ))}
                      </DataTable>
                    </>
                  )}
                </section>
              ))}
            </>
          )}
        </>
      )}
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
