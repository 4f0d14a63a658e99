import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, verifyChain, type ChainRow } from "~/domain/audit-chain";

function buildChain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let id = 1; id <= n; id += 1) {
    const fields = {
      id,
      actor: `user-${id % 3}`,
      action: id % 2 ? "proposal.submitted" : "proposal.supported",
      entity_type: "proposal",
      entity_id: `p-${id}`,
      before: id > 1 ? JSON.stringify({ status: "draft" }) : null,
      after: JSON.stringify({ status: "submitted", n: id }),
      time: new Date(Date.UTC(2026, 10, 23, 12, 0, id)).toISOString(),
    };
    const row = { ...fields, prev_hash: prev, hash: hashEvent(prev, fields) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

describe("the audit chain", () => {
  it("an untouched chain verifies and reports its head hash", () => {
    const rows = buildChain(6);
    expect(verifyChain(rows)).toEqual({ ok: true, count: 6, headHash: rows[5]!.hash });
  });

  it("editing one row's action breaks the chain at that row", () => {
    const rows = buildChain(6);
    rows[3] = { ...rows[3]!, action: "proposal.declined" };
    const status = verifyChain(rows);
    expect(status.ok).toBe(false);
    expect(status.ok === false && status.brokenAtId).toBe(4);
  });

  it("deleting a row breaks the chain at the row after the gap", () => {
    const rows = buildChain(6);
    rows.splice(2, 1);
    const status = verifyChain(rows);
    expect(status.ok === false && status.brokenAtId).toBe(4);
  });

  it("swapping two rows breaks the chain at the first of them", () => {
    const rows = buildChain(6);
    [rows[1], rows[4]] = [rows[4]!, rows[1]!];
    const status = verifyChain(rows);
    expect(status.ok === false && status.position).toBe(2);
  });

  it("re-hashing an edited row still fails at the next row, because its prev_hash no longer matches", () => {
    const rows = buildChain(5);
    const edited = { ...rows[1]!, after: JSON.stringify({ status: "funded" }) };
    edited.hash = hashEvent(edited.prev_hash, edited);
    rows[1] = edited;
    const status = verifyChain(rows);
    expect(status.ok === false && status.brokenAtId).toBe(3);
  });
});
