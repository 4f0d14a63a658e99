/**
 * The life of an award after a funded decision, as data, and what the group
 * and the administrator see about where it is. Pure: no I/O.
 *
 * offered → accepted → conditions met → paid in instalments → monitored → closed
 * (or withdrawn by the administrator, or declined by the group).
 */
import type { AwardStatus } from "../../db/schema";
import { DomainError } from "./errors";
import type { Role } from "./roles";

export type { AwardStatus };

/** Each action on an award: the statuses it may start from, who may take it, and where it leads. */
export const AWARD_ACTIONS = {
  accept: { from: ["offered"], by: "applicant", to: "accepted" },
  decline: { from: ["offered"], by: "applicant", to: "declined" },
  close: { from: ["accepted"], by: "admin", to: "closed" },
  withdraw: { from: ["offered", "accepted"], by: "admin", to: "withdrawn" },
} as const satisfies Record<string, { from: readonly AwardStatus[]; by: Role; to: AwardStatus }>;

export type AwardAction = keyof typeof AWARD_ACTIONS;

export const AWARD_STATUS_LABELS: Record<AwardStatus, string> = {
  offered: "Offered",
  accepted: "Accepted",
  declined: "Declined",
  closed: "Closed",
  withdrawn: "Withdrawn",
};

const ACTION_WORDS: Record<AwardAction, string> = { accept: "accept", decline: "decline", close: "close", withdraw: "withdraw" };

/** The status after the action, or a DomainError saying in plain English why it cannot happen. */
export function nextAwardStatus(action: AwardAction, from: AwardStatus, role: Role | null): AwardStatus {
  const rule = AWARD_ACTIONS[action];
  if (rule.by !== role) {
    throw new DomainError(
      rule.by === "admin"
        ? `Only a fund administrator can ${ACTION_WORDS[action]} an award.`
        : `Only a member of the group can ${ACTION_WORDS[action]} its offer.`,
    );
  }
  if (!(rule.from as readonly AwardStatus[]).includes(from)) {
    throw new DomainError(
      `This award is ${AWARD_STATUS_LABELS[from].toLowerCase()}, so it cannot be ${action === "accept" ? "accepted" : action === "decline" ? "declined" : action === "close" ? "closed" : "withdrawn"} now.`,
    );
  }
  return rule.to;
}

export type AwardStage = "offered" | "accepted" | "conditions_met" | "paid" | "monitored" | "closed" | "withdrawn" | "declined";

export const AWARD_STAGES: readonly AwardStage[] = ["offered", "accepted", "conditions_met", "paid", "monitored", "closed"];

export const AWARD_STAGE_LABELS: Record<AwardStage, string> = {
  offered: "Offered",
  accepted: "Accepted",
  conditions_met: "Conditions met",
  paid: "Paid in instalments",
  monitored: "Monitored",
  closed: "Closed",
  withdrawn: "Withdrawn",
  declined: "Declined",
};

/** What the stage is worked out from: the award's status and counts of its parts. */
export interface AwardFacts {
  status: AwardStatus;
  amountPence: number;
  conditionsTotal: number;
  conditionsMet: number;
  /** Conditions with evidence waiting for the administrator. */
  conditionsAwaitingSignOff: number;
  paidPence: number;
  reportsTotal: number;
  reportsApproved: number;
  /** The earliest report not yet approved, if any. */
  nextReportDueOn?: string | null;
  /** The earliest instalment not yet paid, if any. */
  nextInstalmentDueOn?: string | null;
}

/** Where the award is, for display. */
export function awardStage(f: AwardFacts): AwardStage {
  if (f.status === "offered" || f.status === "closed" || f.status === "withdrawn" || f.status === "declined") return f.status;
  if (f.conditionsMet < f.conditionsTotal) return "accepted";
  if (f.paidPence <= 0) return "conditions_met";
  if (f.paidPence < f.amountPence) return "paid";
  if (f.reportsTotal > 0 && f.reportsApproved >= f.reportsTotal) return "monitored";
  return "paid";
}

/** The next step in plain English, for the group (applicant) or the administrator. */
export function awardNextStep(f: AwardFacts, audience: "applicant" | "admin", formatDate: (iso: string) => string = (d) => d): string {
  const outstanding = f.conditionsTotal - f.conditionsMet - f.conditionsAwaitingSignOff;
  switch (f.status) {
    case "offered":
      return audience === "applicant"
        ? "Read the offer letter. Then accept the offer or decline it. To accept, give the name and role of the person who signs for your group."
        : "Waiting for the group to accept or decline the offer.";
    case "declined":
      return audience === "applicant" ? "You declined this offer. Nothing more is needed." : "The group declined this offer. Nothing more is needed.";
    case "withdrawn":
      return audience === "applicant"
        ? "The fund withdrew this award. The letter says why, and if you must pay any money back."
        : "This award was withdrawn. Nothing more is needed unless money is to be clawed back.";
    case "closed":
      return "This award is closed. Thank you.";
    case "accepted":
      break;
  }
  if (outstanding > 0) {
    return audience === "applicant"
      ? `Send evidence for ${outstanding === 1 ? "the condition you still need to meet" : `the ${outstanding} conditions you still need to meet`}. We cannot pay any money until every condition is met.`
      : `Waiting for the group's evidence for ${outstanding === 1 ? "1 condition" : `${outstanding} conditions`}.`;
  }
  if (f.conditionsAwaitingSignOff > 0) {
    return audience === "applicant"
      ? "The fund administrator is checking your evidence. We will tell you when each condition is signed off."
      : `Check the evidence and sign off ${f.conditionsAwaitingSignOff === 1 ? "1 condition" : `${f.conditionsAwaitingSignOff} conditions`}.`;
  }
  if (f.paidPence < f.amountPence) {
    const when = f.nextInstalmentDueOn ? ` The next instalment is due on ${formatDate(f.nextInstalmentDueOn)}.` : "";
    return audience === "applicant" ? `Every condition is met, so we can pay you.${when}` : `Record the next payment.${when}`;
  }
  if (f.reportsApproved < f.reportsTotal) {
    const when = f.nextReportDueOn ? ` The next report is due on ${formatDate(f.nextReportDueOn)}.` : "";
    return audience === "applicant" ? `Send your monitoring reports.${when}` : `Waiting for the group's monitoring reports.${when}`;
  }
  return audience === "applicant"
    ? "Everything is paid and reported. The fund will close the award with a final report."
    : "Close the award with its final report and an outcome summary.";
}

/** The decision's conditions text, one condition a line (list markers and blank lines dropped). */
export function conditionsFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").trim())
    .filter((line) => line.length > 0);
}

/** "A-0007" for the seventh award. */
export function awardReference(sequence: number): string {
  return `A-${String(sequence).padStart(4, "0")}`;
}

export const SUPPORT_KIND_LABELS = { meeting: "Meeting", advice: "Advice", referral: "Referral", other: "Other" } as const;
export const SUPPORT_STATUS_LABELS = { offered: "Offered", given: "Given" } as const;
export const CONDITION_STATUS_LABELS = { outstanding: "Outstanding", evidence_submitted: "Evidence sent, awaiting sign-off", met: "Met" } as const;

/** "1 hour 30 minutes" from 90. */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} ${hours === 1 ? "hour" : "hours"}`);
  if (rest || !hours) parts.push(`${rest} ${rest === 1 ? "minute" : "minutes"}`);
  return parts.join(" ");
}
