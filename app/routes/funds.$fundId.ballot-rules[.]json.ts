import type { LoaderFunctionArgs } from "@remix-run/node";
import { getFrozenRules } from "~/models/community-ballot.server";
import { getFund } from "~/models/fund.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

/**
 * /funds/:fundId/ballot-rules.json: the community vote's rules exactly as they
 * were frozen at opening (canonical JSON), so anyone can check the SHA-256 on
 * the fund page. Public once the vote has opened; 404 before. Never counts.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund?.is_published) throw notFound();
  const rules = await getFrozenRules(db, fund.id);
  if (!rules) throw notFound();
  return new Response(rules.json, {
    headers: { "Content-Type": "application/json; charset=utf-8", "X-Content-SHA256": rules.hash, "Cache-Control": "public, max-age=300" },
  });
}
