import type { NeedType } from "../../db/schema";
import { formatPence } from "~/domain/money";

export type { NeedType };

export const NEED_TYPES: readonly NeedType[] = ["felt", "expressed", "comparative", "normative"];

export const NEED_LABELS: Record<NeedType, string> = {
  felt: "Felt need: what people in the community say they want",
  expressed: "Expressed need: shown by demand, such as waiting lists or requests",
  comparative: "Comparative need: this community has less than similar ones",
  normative: "Normative need: below a standard set by experts or policy",
};

export const SUMMARY_MAX_WORDS = 150;
export const MAX_OUTCOMES = 5;
export const MAX_BUDGET_LINES = 30;

export interface BudgetLine {
  item: string;
  costPence: number;
}

export interface Outcome {
  outcome: string;
  measure: string;
}

/** What the group writes. Everything may be missing in a draft. */
export interface ProposalContent {
  title: string;
  summary: string;
  needType: NeedType | null;
  needEvidence: string;
  beneficiaries: string;
  beneficiaryCount: number | null;
  whatBuilt: string;
  budgetLines: BudgetLine[];
  amountRequestedPence: number | null;
  startDate: string | null;
  endDate: string | null;
  outcomes: Outcome[];
}

export interface GroupLimits {
  minGrantPence: number;
  maxGrantPence: number;
  potPence: number;
}

export const wordCount = (text: string): number => (text.trim() ? text.trim().split(/\s+/).length : 0);

export const budgetTotal = (lines: readonly BudgetLine[]): number => lines.reduce((sum, l) => sum + l.costPence, 0);

/** Why an amount cannot be asked for in this decision group, or null. */
export function amountProblem(amountPence: number, limits: GroupLimits): string | null {
  if (amountPence < limits.minGrantPence) {
    return `The amount requested must be at least ${formatPence(limits.minGrantPence)}, the minimum grant for this decision group`;
  }
  if (amountPence > limits.maxGrantPence) {
    return `The amount requested must be no more than ${formatPence(limits.maxGrantPence)}, the maximum grant for this decision group`;
  }
  if (amountPence > limits.potPence) {
    return `The amount requested must be no more than ${formatPence(limits.potPence)}, the whole pot for this decision group`;
  }
  return null;
}

export interface ChecklistItem {
  field: string;
  label: string;
  isDone: boolean;
}

/** What a proposal still needs before it can be submitted, in the form's order. */
export function checklist(content: ProposalContent, limits: GroupLimits): ChecklistItem[] {
  const total = budgetTotal(content.budgetLines);
  const amountOk = content.amountRequestedPence !== null && amountProblem(content.amountRequestedPence, limits) === null;
  const datesOk = Boolean(content.startDate && content.endDate && content.startDate <= content.endDate);
  return [
    { field: "title", label: "Give the proposal a title", isDone: content.title.trim().length > 0 },
    {
      field: "summary",
      label: `Write a summary of ${SUMMARY_MAX_WORDS} words or fewer`,
      isDone: wordCount(content.summary) > 0 && wordCount(content.summary) <= SUMMARY_MAX_WORDS,
    },
    { field: "needType", label: "Say what kind of need it meets", isDone: content.needType !== null },
    { field: "needEvidence", label: "Give evidence of the need", isDone: content.needEvidence.trim().length > 0 },
    {
      field: "beneficiaries",
      label: "Say who benefits, and how many people",
      isDone: content.beneficiaries.trim().length > 0 && (content.beneficiaryCount ?? 0) > 0,
    },
    { field: "whatBuilt", label: "Say what will be built or bought", isDone: content.whatBuilt.trim().length > 0 },
    { field: "budget", label: "Add at least one costed budget line", isDone: content.budgetLines.length > 0 && total > 0 },
    { field: "amountRequested", label: "Ask for an amount within the decision group's limits", isDone: amountOk },
    { field: "startDate", label: "Give a start date and an end date after it", isDone: datesOk },
    { field: "outcomes", label: "Add at least one outcome and how you will measure it", isDone: content.outcomes.length > 0 },
  ];
}

export const isReadyToSubmit = (content: ProposalContent, limits: GroupLimits): boolean => checklist(content, limits).every((item) => item.isDone);

export const FIELD_LABELS: Record<keyof ProposalContent, string> = {
  title: "Title",
  summary: "Summary",
  needType: "Kind of need",
  needEvidence: "Evidence of need",
  beneficiaries: "Who benefits",
  beneficiaryCount: "How many people benefit",
  whatBuilt: "What will be built or bought",
  budgetLines: "Budget",
  amountRequestedPence: "Amount requested",
  startDate: "Start date",
  endDate: "End date",
  outcomes: "Outcomes",
};

function display(field: keyof ProposalContent, content: ProposalContent): string {
  const value = content[field];
  if (field === "budgetLines") return content.budgetLines.map((l) => `${l.item}: ${formatPence(l.costPence)}`).join("\n");
  if (field === "outcomes") return content.outcomes.map((o) => `${o.outcome} (measured by: ${o.measure})`).join("\n");
  if (field === "amountRequestedPence") return content.amountRequestedPence === null ? "" : formatPence(content.amountRequestedPence);
  if (field === "needType") return content.needType ? NEED_LABELS[content.needType] : "";
  return value === null || value === undefined ? "" : String(value);
}

export interface FieldChange {
  field: keyof ProposalContent;
  label: string;
  before: string;
  after: string;
}

/** The fields that differ between two versions, with both values as display text. */
export function diffContent(before: ProposalContent, after: ProposalContent): FieldChange[] {
  return (Object.keys(FIELD_LABELS) as (keyof ProposalContent)[])
    .map((field) => ({ field, label: FIELD_LABELS[field], before: display(field, before), after: display(field, after) }))
    .filter((change) => change.before !== change.after);
}

export const EMPTY_CONTENT: ProposalContent = {
  title: "",
  summary: "",
  needType: null,
  needEvidence: "",
  beneficiaries: "",
  beneficiaryCount: null,
  whatBuilt: "",
  budgetLines: [],
  amountRequestedPence: null,
  startDate: null,
  endDate: null,
  outcomes: [],
};
