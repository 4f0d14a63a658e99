export interface QuestionRule {
  id: string;
  options: string[];
  ineligibleAnswers: string[];
  ineligibleReason: string;
}

/** The first question whose answer makes the group ineligible, or null. */
export function ineligibleAnswer<Q extends QuestionRule>(rules: readonly Q[], answers: Record<string, string>): Q | null {
  return rules.find((rule) => rule.ineligibleAnswers.includes(answers[rule.id] ?? "")) ?? null;
}
