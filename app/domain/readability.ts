import { fleschKincaid } from "flesch-kincaid";
import { syllable } from "syllable";

/**
 * How hard a page is to read, as a US school grade (Flesch-Kincaid, 1975):
 * 0.39 × words per sentence + 11.8 × syllables per word − 15.59.
 * GOV.UK writes for a reading age of 9 (about grade 4 to 5); the portal aims
 * at grade 6 or below on its public and applicant pages, and its browser test
 * fails above grade 8 (tests/e2e/readability.test.ts).
 *
 * The input is a page's text as blocks, in reading order: one string for each
 * heading, paragraph, list item, table cell, label, legend, button or link
 * that stands on its own line. The rules, so that every page is measured alike:
 * - Sentences. A block holds one or more sentences: a sentence ends at ".",
 *   "!" or "?" followed by a space (or the end of the block). A block that does
 *   not end with one of those (a heading, list item, table cell, label, button)
 *   still ends its sentence: it is read as a sentence of its own. So "£5.50"
 *   does not end a sentence, but the "e.g. " in "e.g. a hall" does (plain
 *   English says "for example" anyway). Line breaks inside a block end one too.
 * - Words. Words are split at spaces, slashes and dashes (– and —); the
 *   punctuation around a word is dropped. Something made only of punctuation
 *   or symbols ("–", "£", "•") is not a word.
 * - Syllables. A word with letters has the syllables that the `syllable`
 *   package counts in it (at least one), so "wine-bottle" has 3.
 * - Numbers. A word with digits and no letters ("£52,000", "2027", "12:30") is
 *   one word of one syllable: a reader takes a number in at a glance, and
 *   GOV.UK style asks for numerals for that reason.
 * - Email and web addresses count as one word of one syllable: they are copied,
 *   not read as prose.
 */

// A type, not an interface, so it fits flesch-kincaid's index-signature parameter.
export type ReadabilityCounts = {
  sentence: number;
  word: number;
  syllable: number;
};

export interface Readability extends ReadabilityCounts {
  /** The Flesch-Kincaid grade, rounded to one decimal place; 0 for text without words. */
  grade: number;
}

const SENTENCE_END = /(?<=[.!?…])["'”’)\]]*\s+/u;
const WORD_SEPARATORS = /[/–—]+/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const HAS_LETTER = /\p{L}/u;
const HAS_DIGIT = /\p{N}/u;
const ADDRESS = /@|^(?:https?:\/\/|www\.)/iu;

/** The words of one sentence, following the rules above (punctuation-only parts dropped). */
export function wordsOf(sentence: string): string[] {
  return sentence
    .split(/\s+/u)
    .flatMap((part) => (ADDRESS.test(part) ? [part] : part.split(WORD_SEPARATORS)))
    .map((part) => part.replace(EDGE_PUNCTUATION, ""))
    .filter((word) => HAS_LETTER.test(word) || HAS_DIGIT.test(word));
}

/** The syllables of one word: numbers and addresses have one, other words what `syllable` counts (at least one). */
export function syllablesOf(word: string): number {
  if (ADDRESS.test(word) || !HAS_LETTER.test(word)) return 1;
  return Math.max(1, syllable(word));
}

/** The sentences in a page's blocks: each block is split at sentence ends, and ends a sentence itself; sentences without words are dropped. */
export function sentencesOf(blocks: readonly string[]): string[] {
  return blocks
    .flatMap((block) => block.split(/\n+/u))
    .flatMap((line) => line.trim().split(SENTENCE_END))
    .map((sentence) => sentence.trim())
    .filter((sentence) => wordsOf(sentence).length > 0);
}

/** Counts sentences, words and syllables in a page's blocks and gives the Flesch-Kincaid grade. */
export function readability(blocks: readonly string[]): Readability {
  const counts: ReadabilityCounts = { sentence: 0, word: 0, syllable: 0 };
  for (const sentence of sentencesOf(blocks)) {
    const words = wordsOf(sentence);
    counts.sentence += 1;
    counts.word += words.length;
    counts.syllable += words.reduce((sum, word) => sum + syllablesOf(word), 0);
  }
  if (counts.word === 0) return { ...counts, grade: 0 };
  return { ...counts, grade: Math.round(fleschKincaid(counts) * 10) / 10 };
}

/** The sentences that push a page's grade up most: the longest and densest first, for a failing test's message. */
export function hardestSentences(blocks: readonly string[], count = 5): { sentence: string; grade: number }[] {
  return sentencesOf(blocks)
    .map((sentence) => ({ sentence, grade: readability([sentence]).grade }))
    .sort((a, b) => b.grade - a.grade)
    .slice(0, count);
}
