import { describe, expect, it } from "vitest";
import { equalityMoney, largestRemainder, type EqualityMoneyInput, type LinkedVoter } from "~/domain/equality-money";

/** One question: X, Y and Prefer not to say; the area is 40% X. */
const question = {
  id: "q",
  text: "Your age",
  options: [
    { id: "x", label: "X", referenceTenths: 400 },
    { id: "y", label: "Y", referenceTenths: null },
    { id: "p", label: "Prefer not to say", referenceTenths: null },
  ],
};

const voters = (n: number, choices: Record<string, number>, answer: string | null): LinkedVoter[] =>
  Array.from({ length: n }, (): LinkedVoter => ({ choices, answers: answer ? { q: answer } : {} }));

/** Approval, two funded projects: A £20,000 (chosen by all 12 linked voters), B £10,000 (chosen by 3 of them and one voter who did not agree); C is not funded. */
function approvalCase(): EqualityMoneyInput {
  const linked = [...voters(2, { A: 1, B: 1 }, "x"), ...voters(8, { A: 1, C: 1 }, "x"), ...voters(1, { A: 1, B: 1 }, "y"), ...voters(1, { A: 1 }, "y")];
  return {
    kind: "approval",
    funded: [
      { id: "A", costPence: 2_000_000 },
      { id: "B", costPence: 1_000_000 },
    ],
    ballots: [...linked.map((v) => v.choices), { B: 1, C: 1 }],
    linked,
    questions: [question],
  };
}

describe("funded money by equality group", () => {
  it("shares each funded project's cost equally among the approval voters who chose it, and sums each group's shares (worked by hand)", () => {
    // A: £20,000 / 12 = £1,666.666… each. B: £10,000 / 4 = £2,500 each (three linked voters and one who did not agree).
    // X (10): 10 × 166,666.67 + 2 × 250,000 = 2,166,666.67p. Y (2): 166,666.67 + 250,000 + 166,666.67 = 583,333.33p.
    // All linked: 2,750,000p of the 3,000,000p funded; the voter who did not agree has the other 250,000p.
    const money = equalityMoney(approvalCase());
    expect(money.fundedPence).toBe(3_000_000);
    expect(money.consented).toBe(12);
    expect(money.consentedPence).toBe(2_750_000);
    expect(money.questions).toEqual([
      {
        question: "Your age",
        answered: 12,
        pence: 2_750_000,
        options: [
          // Largest remainder: 2,166,666 r .67 and 583,333 r .33 add up to 2,749,999, so X (the larger remainder) gets the last penny.
          { label: "X", count: 10, pence: 2_166_667, referenceTenths: 400 },
          // 2 is under 10, and with Prefer not to say (0) also hidden, no count can be worked out: nothing more is hidden.
          { label: "Y", count: null, pence: null, referenceTenths: null },
          { label: "Prefer not to say", count: null, pence: null, referenceTenths: null },
        ],
      },
    ]);
  });

  it("shares a points ballot's projects in proportion to the points given (worked by hand)", () => {
    // A £10,000 and B £20,000; six give A 3 and B 1, six give A 1 and B 3: 24 points on each.
    // A point on A is worth 41,666.67p, on B 83,333.33p. The first six get 208,333.33p each, the others 291,666.67p.
    // X: six of the first kind and four of the second: 1,250,000 + 1,166,666.67 = 2,416,666.67p. Y: two of the second: 583,333.33p.
    const linked = [...voters(6, { A: 3, B: 1 }, "x"), ...voters(4, { A: 1, B: 3 }, "x"), ...voters(2, { A: 1, B: 3 }, "y")];
    const money = equalityMoney({
      kind: "points",
      funded: [
        { id: "A", costPence: 1_000_000 },
        { id: "B", costPence: 2_000_000 },
      ],
      ballots: linked.map((v) => v.choices),
      linked,
      questions: [question],
    });
    expect(money.consentedPence).toBe(3_000_000);
    expect(money.questions[0]!.pence).toBe(3_000_000);
    expect(money.questions[0]!.options[0]).toEqual({ label: "X", count: 10, pence: 2_416_667, referenceTenths: 400 });
  });

  it("counts an approval or knapsack choice once whatever number is stored, but points as given", () => {
    const linked = [...voters(10, { A: 1 }, "x"), ...voters(10, { A: 1 }, "y")];
    const base = { funded: [{ id: "A", costPence: 1_000 }], linked, questions: [question] };
    // One ballot not linked holds 3 for A: as a knapsack choice it counts once (A is shared by 21), as points three times (by 23).
    const knapsack = equalityMoney({ ...base, kind: "knapsack", ballots: [...linked.map((v) => v.choices), { A: 3 }] });
    expect(knapsack.consentedPence).toBe(952); // 1,000 × 20 / 21 = 952.38
    const points = equalityMoney({ ...base, kind: "points", ballots: [...linked.map((v) => v.choices), { A: 3 }] });
    expect(points.consentedPence).toBe(870); // 1,000 × 20 / 23 = 869.57
    // Each group has 476.19p: rounded down they already make the 952p, so no penny is handed out.
    expect(knapsack.questions[0]!.options.map((o) => o.pence)).toEqual([476, 476, null]);
  });

  it("hides a group's money exactly when its count is hidden, including the next smallest group when one hidden count could be worked out", () => {
    const linked = [...voters(12, { A: 1 }, "x"), ...voters(11, { A: 1 }, "y"), ...voters(3, { A: 1 }, "p")];
    const money = equalityMoney({
      kind: "approval",
      funded: [{ id: "A", costPence: 2_600_000 }],
      ballots: linked.map((v) => v.choices),
      linked,
      questions: [question],
    });
    expect(money.questions[0]).toEqual({
      question: "Your age",
      answered: 26,
      pence: 2_600_000,
      options: [
        { label: "X", count: 12, pence: 1_200_000, referenceTenths: 400 },
        // 3 alone would be 26 − 12 − 11: so 11 is hidden too, and its money with it.
        { label: "Y", count: null, pence: null, referenceTenths: null },
        { label: "Prefer not to say", count: null, pence: null, referenceTenths: null },
      ],
    });
  });

  it("shows nothing when fewer than 10 agreed, and nothing of a question fewer than 10 of them answered", () => {
    const few = voters(9, { A: 1 }, "x");
    const none = equalityMoney({
      kind: "approval",
      funded: [{ id: "A", costPence: 900 }],
      ballots: few.map((v) => v.choices),
      linked: few,
      questions: [question],
    });
    expect(none).toEqual({
      version: 1,
      fundedPence: 900,
      consented: null,
      consentedPence: null,
      questions: [
        {
          question: "Your age",
          answered: null,
          pence: null,
          options: question.options.map((o) => ({ label: o.label, count: null, pence: null, referenceTenths: o.referenceTenths })),
        },
      ],
    });
    // 12 agreed, but only 9 answered this question (3 skipped it).
    const skipped = [...voters(9, { A: 1 }, "x"), ...voters(3, { A: 1 }, null)];
    const money = equalityMoney({
      kind: "approval",
      funded: [{ id: "A", costPence: 1_200 }],
      ballots: skipped.map((v) => v.choices),
      linked: skipped,
      questions: [question],
    });
    expect(money.consented).toBe(12);
    expect(money.consentedPence).toBe(1_200);
    expect(money.questions[0]!.answered).toBeNull();
    expect(money.questions[0]!.pence).toBeNull();
    expect(money.questions[0]!.options.every((o) => o.count === null && o.pence === null)).toBe(true);
  });

  it("with nobody agreeing, attributes nothing", () => {
    const money = equalityMoney({ kind: "approval", funded: [{ id: "A", costPence: 500 }], ballots: [{ A: 1 }], linked: [], questions: [question] });
    expect(money.consented).toBeNull();
    expect(money.questions[0]!.options.every((o) => o.pence === null)).toBe(true);
  });
});

describe("largestRemainder", () => {
  it("rounds each part down and gives the pence left over to the largest remainders, so the parts add up to the total", () => {
    const third = { n: 1n, d: 3n };
    expect(largestRemainder([third, third, third], 1)).toEqual([1, 0, 0]);
    expect(
      largestRemainder(
        [
          { n: 5n, d: 2n },
          { n: 7n, d: 4n },
          { n: 3n, d: 4n },
        ],
        5,
      ),
    ).toEqual([2, 2, 1]);
    expect(
      largestRemainder(
        [
          { n: 10n, d: 1n },
          { n: 0n, d: 1n },
        ],
        10,
      ),
    ).toEqual([10, 0]);
  });
});
