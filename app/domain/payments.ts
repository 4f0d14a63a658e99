/**
 * Award payments: which instalments are released, what is paid and what is
 * left, and the rules for recording and approving a payment. Pure: no I/O.
 *
 * "No payment can be released while a condition is outstanding" and
 * "payments can never add up to more than the award": the services call
 * these checks inside the transaction that writes, so the server enforces them.
 */
import { DomainError } from "./errors";
import { formatPence } from "./money";

export type AwardStatus = "offered" | "accepted" | "declined" | "closed" | "withdrawn";
export type ConditionStatus = "outstanding" | "evidence_submitted" | "met";
export type ReportStatus = "due" | "submitted" | "approved" | "more_requested";
export type ReleasedBy = "acceptance" | "conditions_met" | "report_approved";
export type PaymentStatus = "awaiting_approval" | "paid" | "rejected";

export const RELEASED_BY_LABELS: Record<ReleasedBy, string> = {
  acceptance: "Acceptance of the offer",
  conditions_met: "Every condition met",
  report_approved: "A report approved",
};

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  awaiting_approval: "Awaiting a second approval",
  paid: "Paid",
  rejected: "Rejected",
};

export interface InstalmentFacts {
  id: string;
  position: number;
  amountPence: number;
  dueOn: string;
  releasedBy: ReleasedBy;
  reportId: string | null;
}

export interface PaymentFacts {
  id: string;
  instalmentId: string | null;
  amountPence: number;
  status: PaymentStatus;
  recordedBy: string;
  /** The bank or finance system's reference; unique on the award while the payment stands. */
  reference?: string;
}

export interface AwardPaymentFacts {
  amountPence: number;
  status: AwardStatus;
  conditions: readonly { status: ConditionStatus }[];
  instalments: readonly InstalmentFacts[];
  reports: readonly { id: string; status: ReportStatus }[];
  payments: readonly PaymentFacts[];
}

/** Whether what releases an instalment has happened. */
export function isInstalmentReleased(award: AwardPaymentFacts, instalment: InstalmentFacts): boolean {
  const accepted = award.status === "accepted" || award.status === "closed";
  if (!accepted) return false;
  switch (instalment.releasedBy) {
    case "acceptance":
      return true;
    case "conditions_met":
      return award.conditions.every((c) => c.status === "met");
    case "report_approved":
      return award.reports.some((r) => r.id === instalment.reportId && r.status === "approved");
  }
}

export interface PaymentSummary {
  awardPence: number;
  paidPence: number;
  awaitingPence: number;
  /** The award less what is paid. */
  remainingPence: number;
  /** The award less what is paid or awaiting approval. */
  availablePence: number;
  /** What is released so far: the released instalments, or the whole award when there is no schedule. */
  releasedPence: number;
  /** The most a new payment may be now: released, not yet paid or awaiting approval, and within the award. */
  payableNowPence: number;
  outstandingConditions: number;
  instalments: (InstalmentFacts & {
    isReleased: boolean;
    paidPence: number;
    /** The instalment less the payments against it that are paid or awaiting approval. */
    outstandingPence: number;
  })[];
}

const sumOf = (payments: readonly PaymentFacts[], status: PaymentStatus) =>
  payments.filter((p) => p.status === status).reduce((total, p) => total + p.amountPence, 0);

const standing = (p: PaymentFacts) => p.status !== "rejected";

export function summarisePayments(award: AwardPaymentFacts): PaymentSummary {
  const paidPence = sumOf(award.payments, "paid");
  const awaitingPence = sumOf(award.payments, "awaiting_approval");
  const availablePence = award.amountPence - paidPence - awaitingPence;
  const instalments = [...award.instalments]
    .sort((a, b) => a.position - b.position)
    .map((i) => ({
      ...i,
      isReleased: isInstalmentReleased(award, i),
      paidPence: award.payments.filter((p) => p.instalmentId === i.id && p.status === "paid").reduce((t, p) => t + p.amountPence, 0),
      outstandingPence: i.amountPence - award.payments.filter((p) => p.instalmentId === i.id && standing(p)).reduce((t, p) => t + p.amountPence, 0),
    }));
  const releasedPence = instalments.length === 0 ? award.amountPence : instalments.filter((i) => i.isReleased).reduce((t, i) => t + i.amountPence, 0);
  return {
    awardPence: award.amountPence,
    paidPence,
    awaitingPence,
    remainingPence: award.amountPence - paidPence,
    availablePence,
    releasedPence,
    payableNowPence: Math.max(0, Math.min(availablePence, releasedPence - paidPence - awaitingPence)),
    outstandingConditions: award.conditions.filter((c) => c.status !== "met").length,
    instalments,
  };
}

/**
 * The first rule a new payment breaks, as a DomainError on the field to fix;
 * nothing when it may be recorded. Payments that are paid or awaiting
 * approval count ("standing"); rejected ones do not.
 *
 * - Against an instalment: the instalment must be released, and the payment
 *   no more than the instalment less what stands against it.
 * - Either way, payments never add up to more than is released: the
 *   released instalments' total (the whole award when there is no schedule).
 *   So a payment "not against an instalment" draws only on released money,
 *   and cannot get round an instalment's release rule.
 * - A reference is used once on an award.
 */
export function checkNewPayment(award: AwardPaymentFacts, payment: { amountPence: number; instalmentId: string | null; reference?: string }): void {
  if (award.status !== "accepted") {
    throw new DomainError(
      award.status === "offered"
        ? "The group has not accepted the offer yet, so no payment can be made."
        : `This award is ${award.status}, so no payment can be made.`,
      "amount",
    );
  }
  const outstanding = award.conditions.filter((c) => c.status !== "met").length;
  if (outstanding > 0) {
    throw new DomainError(
      `No payment can be made while a condition is outstanding: ${outstanding} ${outstanding === 1 ? "condition is" : "conditions are"} not yet signed off as met.`,
      "amount",
    );
  }
  if (!Number.isSafeInteger(payment.amountPence) || payment.amountPence <= 0) {
    throw new DomainError("Enter an amount more than £0", "amount");
  }
  const summary = summarisePayments(award);
  const instalment = payment.instalmentId ? summary.instalments.find((i) => i.id === payment.instalmentId) : undefined;
  if (payment.instalmentId) {
    if (!instalment) throw new DomainError("Choose one of this award's instalments, or none", "instalmentId");
    if (!instalment.isReleased) {
      throw new DomainError(
        instalment.releasedBy === "report_approved"
          ? "That instalment is released when its report is approved, and the report is not approved yet."
          : "That instalment is not released yet.",
        "instalmentId",
      );
    }
  }
  const { paidPence, awaitingPence, availablePence, releasedPence } = summary;
  if (payment.amountPence > availablePence) {
    throw new DomainError(
      `Payments can never add up to more than the award. The award is ${formatPence(award.amountPence)}; ${formatPence(paidPence)} is paid and ${formatPence(
        awaitingPence,
      )} awaits approval, so at most ${formatPence(Math.max(0, availablePence))} can be paid now, not ${formatPence(payment.amountPence)}.`,
      "amount",
    );
  }
  if (instalment && payment.amountPence > instalment.outstandingPence) {
    throw new DomainError(
      `A payment cannot be more than is left of its instalment. Instalment ${instalment.position} is ${formatPence(instalment.amountPence)} and ${formatPence(
        instalment.amountPence - instalment.outstandingPence,
      )} is paid or awaits approval against it, so at most ${formatPence(Math.max(0, instalment.outstandingPence))} can be paid against it, not ${formatPence(payment.amountPence)}.`,
      "amount",
    );
  }
  const releasedLeft = releasedPence - paidPence - awaitingPence;
  if (payment.amountPence > releasedLeft) {
    throw new DomainError(
      releasedPence === 0
        ? "No instalment is released yet, so nothing can be paid, against an instalment or not."
        : `Payments can never add up to more than is released. ${formatPence(releasedPence)} is released; ${formatPence(
            paidPence + awaitingPence,
          )} is paid or awaits approval, so at most ${formatPence(Math.max(0, releasedLeft))} can be paid now, not ${formatPence(payment.amountPence)}.`,
      payment.instalmentId ? "amount" : "instalmentId",
    );
  }
  const reference = payment.reference?.trim();
  if (reference && award.payments.some((p) => standing(p) && p.reference === reference)) {
    throw new DomainError(PAYMENT_REFERENCE_USED, "reference");
  }
}

/** The message for a reference already used for a payment on this award. */
export const PAYMENT_REFERENCE_USED = "This reference is already used for a payment on this award";

/** Above the fund's threshold a second administrator must approve the payment (four eyes). */
export const needsSecondApproval = (amountPence: number, thresholdPence: number): boolean => amountPence > thresholdPence;

/** Throws unless this administrator may approve or reject this payment. */
export function checkApproval(payment: { status: PaymentStatus; recordedBy: string }, approverId: string): void {
  if (payment.status !== "awaiting_approval") {
    throw new DomainError(`This payment is already ${PAYMENT_STATUS_LABELS[payment.status].toLowerCase()}, so it cannot be approved or rejected.`);
  }
  if (payment.recordedBy === approverId) {
    throw new DomainError("You recorded this payment, so another administrator must approve it");
  }
}

export interface ScheduleRow {
  amountPence: number;
  dueOn: string;
  releasedBy: ReleasedBy;
  reportId: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD. */
export function isValidIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Field errors for a schedule, keyed "rows.N.field" (N from 0) or "schedule";
 * empty when it is valid. The instalments must add up to the award exactly.
 */
export function scheduleProblems(rows: readonly ScheduleRow[], awardPence: number, reportIds: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (rows.length === 0) {
    errors.schedule = "Add at least one instalment";
    return errors;
  }
  rows.forEach((row, i) => {
    const n = i + 1;
    if (!Number.isSafeInteger(row.amountPence) || row.amountPence <= 0) errors[`rows.${i}.amount`] = `Enter an amount more than £0 for instalment ${n}`;
    if (!isValidIsoDate(row.dueOn)) errors[`rows.${i}.dueOn`] = `Enter a real due date for instalment ${n}, for example 2027-03-31`;
    if (row.releasedBy === "report_approved" && (!row.reportId || !reportIds.includes(row.reportId))) {
      errors[`rows.${i}.reportId`] = `Choose the report whose approval releases instalment ${n}`;
    }
  });
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1]!;
    const row = rows[i]!;
    if (isValidIsoDate(before.dueOn) && isValidIsoDate(row.dueOn) && row.dueOn < before.dueOn && !errors[`rows.${i}.dueOn`]) {
      errors[`rows.${i}.dueOn`] = `Instalment ${i + 1} is due before instalment ${i}: list the instalments in date order`;
    }
  }
  const total = rows.reduce((t, r) => t + (Number.isSafeInteger(r.amountPence) ? r.amountPence : 0), 0);
  if (Object.keys(errors).length === 0 && total !== awardPence) {
    errors.schedule = `The instalments add up to ${formatPence(total)} but the award is ${formatPence(awardPence)}. They must add up to the award exactly.`;
  }
  return errors;
}
