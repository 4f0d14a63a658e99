import type { ChainStatus } from "~/domain/audit-chain";

/** The audit chain's health and its head hash, which can be published outside the portal. */
export function ChainStatusPanel({ chain }: { chain: ChainStatus }) {
  if (chain.ok) {
    return (
      <div className="panel" role="status">
        <p className="mb-2 font-semibold">Audit trail: intact. All {chain.count} events check out.</p>
        <p className="mb-0 break-all text-sm">
          Latest head hash (publish this to prove nothing is changed later): <code>{chain.headHash}</code>
        </p>
      </div>
    );
  }
  return (
    <div className="mb-6 border-l-4 border-red-700 bg-red-50 p-4" role="alert">
      <p className="mb-2 font-semibold text-red-800">Audit trail: broken at event {chain.brokenAtId}. Someone has changed, removed or reordered events.</p>
      <p className="mb-0 text-sm">
        {chain.reason}. The {chain.count} events before it check out.
      </p>
    </div>
  );
}
