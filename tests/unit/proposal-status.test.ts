import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import {
  assertTransition,
  canTransition,
  isEditable,
  nextStatus,
  PROPOSAL_ACTIONS,
  PROPOSAL_STATUSES,
  TRANSITIONS,
  type ProposalAction,
} from "~/domain/proposal-status";
import type { ProposalStatus } from "~/domain/proposal-status";
import type { Role } from "~/domain/roles";

// Every arrow of the life of a proposal (docs/glossary.md), with the role that takes it.
const ALLOWED: [ProposalAction, ProposalStatus, Role, ProposalStatus][] = [
  ["submit", "draft", "applicant", "submitted"],
  ["submit", "draft", "lead_org", "submitted"],
  ["submit", "changes_requested", "applicant", "submitted"],
  ["request_changes", "submitted", "lead_org", "changes_requested"],
  ["support", "submitted", "lead_org", "supported"],
  ["decline", "submitted", "lead_org", "declined"],
  ["mark_eligible", "supported", "admin", "eligible"],
  ["mark_ineligible", "supported", "admin", "ineligible"],
  ["open_review", "eligible", "admin", "under_review"],
  ["decide_funded", "under_review", "panel_member", "funded"],
  ["decide_not_funded", "under_review", "admin", "not_funded"],
  ["decide_reserve", "under_review", "admin", "reserve"],
  ["decide_funded", "reserve", "admin", "funded"],
  ["withdraw", "draft", "applicant", "withdrawn"],
  ["withdraw", "eligible", "applicant", "withdrawn"],
];

describe("the proposal state machine", () => {
  it.each(ALLOWED)("%s from %s by %s leads to %s", (action, from, role, to) => {
    expect(nextStatus(action, from, role)).toBe(to);
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it("every transition in the table comes from exactly the actions' rules", () => {
    const fromActions = new Set(Object.values(PROPOSAL_ACTIONS).flatMap((a) => (a.from as readonly ProposalStatus[]).map((f) => `${f}->${a.to}`)));
    const fromTable = new Set(PROPOSAL_STATUSES.flatMap((s) => TRANSITIONS[s].map((t) => `${s}->${t}`)));
    expect(fromTable).toEqual(fromActions);
  });

  it.each<[ProposalAction, ProposalStatus, Role, RegExp]>([
    ["submit", "submitted", "applicant", /already been submitted/],
    ["support", "supported", "lead_org", /cannot do that now/],
    ["support", "draft", "lead_org", /cannot do that now/],
    ["mark_eligible", "submitted", "admin", /cannot do that now/],
    ["support", "submitted", "applicant", /Your role cannot/],
    ["mark_eligible", "supported", "lead_org", /Your role cannot/],
    ["decide_funded", "eligible", "admin", /cannot do that now/],
    ["withdraw", "funded", "applicant", /cannot do that now/],
  ])("%s from %s by %s is refused in plain English", (action, from, role, message) => {
    expect(() => nextStatus(action, from, role)).toThrowError(DomainError);
    expect(() => nextStatus(action, from, role)).toThrowError(message);
  });

  it.each<[ProposalStatus, ProposalStatus]>([
    ["draft", "supported"],
    ["declined", "supported"],
    ["ineligible", "eligible"],
    ["funded", "draft"],
    ["withdrawn", "draft"],
  ])("%s cannot jump to %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrowError(/cannot be moved/);
  });

  it("declined, ineligible, not funded and withdrawn are ends of the road", () => {
    for (const end of ["declined", "ineligible", "not_funded", "withdrawn"] as const) expect(TRANSITIONS[end]).toEqual([]);
  });

  it("only drafts and proposals with changes requested can be edited", () => {
    expect(PROPOSAL_STATUSES.filter(isEditable)).toEqual(["draft", "changes_requested"]);
  });
});
