import type { ChainStatus } from "~/domain/audit-chain";

/** The page's view of app/services/audit-checks.server.ts's AuditCheck (dates arrive as text). */
interface ChainCheck {
  chain: ChainStatus;
  eventsChecked: number;
  lastFull: { checkedAt: string; isOk: boolean; count: number } | null;
}

const utc = (iso: string) => `${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;

/** When every event was last checked from the first one: the check on this page reads only the new ones. */
function LastFullCheck({ lastFull }: { lastFull: ChainCheck["lastFull"] }) {
  if (!lastFull) {
    return <p className="mb-2 text-sm">Last full check: not yet. The portal checks every event within an hour of starting, or run npm run audit:verify.</p>;
  }
  return (
    <p className="mb-2 text-sm">
      Last full check: {utc(lastFull.checkedAt)}, {lastFull.isOk ? `all ${lastFull.count} events checked out` : "it found a break"}. It runs every hour. Changes
      to older events show after the next one.
    </p>
  );
}

/** The audit chain's health and its head hash, which can be published outside the portal. */
export function ChainStatusPanel({ check }: { check: ChainCheck }) {
  const { chain, eventsChecked, lastFull } = check;
  if (chain.ok) {
    return (
      <div className="panel" role="status">
        <p className="mb-2 font-semibold">Audit trail: intact. All {chain.count} events check out.</p>
        <p className="mb-2 text-sm">
          Just now: checked the {eventsChecked} new {eventsChecked === 1 ? "event" : "events"} since the last check.
        </p>
        <LastFullCheck lastFull={lastFull} />
        <p className="mb-0 break-all text-sm">
          Latest head hash (publish this to prove nothing is changed later): <code>{chain.headHash}</code>
        </p>
      </div>
    );
  }
  return (
    <div className="mb-6 border-l-4 border-red-700 bg-red-50 p-4" role="alert">
      <p className="mb-2 font-semibold text-red-800">Audit trail: broken at event {chain.brokenAtId}. Someone has changed, removed or reordered events.</p>
      <p className="mb-2 text-sm">
        {chain.reason}. The {chain.count} events before it check out.
      </p>
      <LastFullCheck lastFull={lastFull} />
    </div>
  );
}
