import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVoteContext } from "~/auth/voter-session.server";
import { ballotPabulibFiles, ballotsFromChoices, type BallotResult } from "~/domain/ballot-result";
import { parseBallotRules } from "~/domain/ballot-rules";
import { getBallotResult, getCountedBallotsJson, getFrozenRules } from "~/models/community-ballot.server";
import { getDb } from "~/utils/db.server";

const NOT_YET = "Not yet: the ballots are published here once the vote has closed and been counted.";

/**
 * /funds/:fundId/vote/ballots/:potId.pb: the anonymised counted ballots and
 * the projects of one pot, in the pabulib format, so anyone can recount
 * (docs/decisions/0043). Drawn only from what the count stored: before the
 * count there is nothing to publish, and the answer is a plain 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const { fund, ballot, phase } = await getVoteContext(db, request, params.fundId ?? "");
  const potId = (params.file ?? "").replace(/\.pb$/, "");
  const stored = phase === "closed" ? await getBallotResult(db, ballot.id) : undefined;
  const [frozen, ballotsJson] = stored ? await Promise.all([getFrozenRules(db, fund.id), getCountedBallotsJson(db, ballot.id)]) : [null, undefined];
  if (!stored || !frozen || !ballotsJson || !params.file?.endsWith(".pb")) return notYet();
  const rules = parseBallotRules(frozen.json);
  if (!rules.pots.some((p) => p.id === potId)) return notYet();
  const ballots = ballotsFromChoices(rules, JSON.parse(ballotsJson) as Record<string, number>[]);
  const files = ballotPabulibFiles(rules, frozen.hash, ballots, JSON.parse(stored.result_json) as BallotResult, fund.name);
  const file = files.find((f) => f.potId === potId)!;
  return new Response(file.text, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}

function notYet() {
  return new Response(NOT_YET, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
