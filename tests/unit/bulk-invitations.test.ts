import { describe, expect, it } from "vitest";
import { checkBulkInvitations, sendableRows, type BulkInviteContext } from "~/domain/bulk-invitations";

const CTX: BulkInviteContext = {
  decisionGroups: [
    { id: "g-east-2026", name: "East", fundName: "Fund 2026" },
    { id: "g-east-2025", name: "East", fundName: "Fund 2025" },
    { id: "g-south", name: "South", fundName: "Fund 2026" },
  ],
  leadOrganisations: [{ id: "lead-1", name: "East Anchor" }],
  funds: [{ id: "fund-2026", name: "Fund 2026" }],
  memberships: [{ email: "sits@example.test", role: "panel_member", organisationId: null, decisionGroupId: "g-south", fundId: null }],
  pendingInvitations: [],
};

const HEADER = ["name", "email", "role", "constituency", "group"];
const check = (...rows: string[][]) => checkBulkInvitations([HEADER, ...rows], CTX);

describe("checking a bulk invitation file", () => {
  it("a group name two funds share is a row error until the fund is named, as the page shows it", () => {
    const result = check(
      ["A", "a@example.test", "Panel member", "resident", "East"],
      ["B", "b@example.test", "panel_member", "Councillor", "east (fund 2026)"],
    );
    expect(result.rows[0]!.errors).toEqual(['More than one fund has a decision group called "East". Write it as "East (Fund name)".']);
    expect(result.rows[1]).toMatchObject({ errors: [], decisionGroupId: "g-east-2026", constituency: "councillor" });
  });

  it("an adviser may name a whole fund; other roles may not have a constituency", () => {
    const result = check(
      ["C", "c@example.test", "Specialist adviser", "", "Fund 2026"],
      ["D", "d@example.test", "Lead organisation", "resident", "East Anchor"],
    );
    expect(result.rows[0]).toMatchObject({ errors: [], fundId: "fund-2026", decisionGroupId: null });
    expect(result.rows[1]!.errors).toEqual(["Only panel members have a constituency. Leave it empty for this role."]);
  });

  it("the same person may join another panel, but not the one they sit on; blank lines are ignored and rows keep their spreadsheet numbers", () => {
    const result = check(
      ["E", "sits@example.test", "Panel member", "vcse", "South"],
      ["", "", "", "", ""],
      ["F", "SITS@example.test", "Panel member", "vcse", "East (Fund 2026)"],
    );
    expect(result.rows.map((r) => [r.row, r.errors])).toEqual([
      [2, ["This person already has this role."]],
      [4, ["This email address is also on row 2. Each person once per file."]],
    ]);
    expect(sendableRows(result)).toEqual([]);
  });

  it("too many rows, or a missing header, is a problem with the whole file", () => {
    const many = Array.from({ length: 1001 }, (_, i) => [`P${i}`, `p${i}@example.test`, "Panel member", "resident", "South"]);
    expect(check(...many).fileErrors).toEqual(["The file has 1001 people. Send 1000 or fewer at a time: split the file."]);
    expect(checkBulkInvitations([["name", "email"]], CTX).fileErrors[0]).toContain("These columns are missing: role, constituency, group");
  });
});
