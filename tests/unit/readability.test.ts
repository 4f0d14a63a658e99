import { describe, expect, test } from "vitest";
import { hardestSentences, readability, sentencesOf, syllablesOf, wordsOf } from "../../app/domain/readability";

describe("measuring how easy a page is to read (Flesch-Kincaid grade)", () => {
  test("the flesch-kincaid package's own example sentence reads at grade 13.1 (13 words, 26 syllables)", () => {
    const result = readability(["The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."]);
    expect(result).toEqual({ sentence: 1, word: 13, syllable: 26, grade: 13.1 });
  });

  test("short sentences of one-syllable words read below grade 1", () => {
    // 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45, rounded to −1.4
    expect(readability(["The cat sat on the mat."])).toEqual({ sentence: 1, word: 6, syllable: 6, grade: -1.4 });
  });

  test("a long sentence of long words reads far above the grade 8 limit", () => {
    const text =
      "Organisations demonstrating eligibility must additionally substantiate their constitutional arrangements, " +
      "including documentation evidencing governance, safeguarding and financial accountability.";
    expect(readability([text]).grade).toBeGreaterThan(20);
  });

  test("the same words read easier when broken into shorter sentences", () => {
    const long = readability(["You can apply for money for your group, the panel will read it and decide, we will write to you when it has decided."]);
    const short = readability(["You can apply for money for your group.", "The panel will read it and decide.", "We will write to you when it has decided."]);
    expect(long.word).toBe(short.word);
    expect(long.syllable).toBe(short.syllable);
    expect(short.grade).toBeLessThan(long.grade);
  });

  test("a heading, list item, label or table cell without a full stop is a sentence of its own", () => {
    expect(sentencesOf(["What happens next", "Your proposal", "We will read it. Then we will write to you!", "Is it ready? Yes"])).toEqual([
      "What happens next",
      "Your proposal",
      "We will read it.",
      "Then we will write to you!",
      "Is it ready?",
      "Yes",
    ]);
    expect(readability(["What happens next", "Your proposal"]).sentence).toBe(2);
  });

  test("a line break inside a block ends a sentence; blocks of only punctuation are not sentences", () => {
    expect(sentencesOf(["First line\nSecond line", "–", "  "])).toEqual(["First line", "Second line"]);
  });

  test("a decimal point or a pound sign does not end a sentence or make a word", () => {
    expect(sentencesOf(["It costs £5.50 each."])).toEqual(["It costs £5.50 each."]);
    expect(wordsOf("It costs £5.50 – each.")).toEqual(["It", "costs", "5.50", "each"]);
  });

  test("numbers are one word of one syllable, however long", () => {
    expect(wordsOf("£52,000 by 29 April 2027")).toEqual(["52,000", "by", "29", "April", "2027"]);
    expect(syllablesOf("52,000")).toBe(1);
    expect(syllablesOf("2027")).toBe(1);
    expect(readability(["£52,000 by 29 April 2027"])).toMatchObject({ word: 5, syllable: 6 });
  });

  test("email and web addresses are one word of one syllable", () => {
    expect(wordsOf("Write to applicant@demo.example or https://example.org/help.")).toEqual([
      "Write",
      "to",
      "applicant@demo.example",
      "or",
      "https://example.org/help",
    ]);
    expect(syllablesOf("applicant@demo.example")).toBe(1);
  });

  test("words split at slashes and dashes, and syllables follow the syllable package", () => {
    expect(wordsOf("and/or this—that")).toEqual(["and", "or", "this", "that"]);
    expect(syllablesOf("organisation")).toBe(5);
    expect(syllablesOf("wine-bottle")).toBe(3);
    expect(syllablesOf("Fund")).toBe(1);
  });

  test("a page without words has grade 0", () => {
    expect(readability([])).toEqual({ sentence: 0, word: 0, syllable: 0, grade: 0 });
  });

  test("the hardest sentences come first, to show what to rewrite", () => {
    const [hardest] = hardestSentences(["Go now.", "Administrators substantiate organisational eligibility.", "We help."]);
    expect(hardest.sentence).toBe("Administrators substantiate organisational eligibility.");
  });
});
