import type { ProposalStatus } from "./proposal-status";

/**
 * What a status tag's colour means. The words on the tag always say the
 * status; the colour only repeats it (WCAG 1.4.1):
 * green done or good news, red stopped, yellow needs the reader to act,
 * blue in someone else's hands, grey not started or neutral.
 */
export type Tone = "green" | "red" | "yellow" | "blue" | "grey";

export const PROPOSAL_STATUS_TONES: Record<ProposalStatus, Tone> = {
  draft: "grey",
  submitted: "blue",
  changes_requested: "yellow",
  supported: "green",
  declined: "red",
  eligible: "green",
  ineligible: "red",
  under_review: "blue",
  funded: "green",
  not_funded: "red",
  reserve: "yellow",
  withdrawn: "grey",
};

/**
 * Tailwind classes for each tone: dark text on a pale background, each at
 * least 4.5:1 (tests/unit/status-tone.test.ts measures them). Written out in
 * full so Tailwind finds them in the source.
 */
export const TONE_CLASSES: Record<Tone, string> = {
  green: "bg-green-100 text-green-900",
  red: "bg-red-100 text-red-900",
  yellow: "bg-yellow-100 text-yellow-900",
  blue: "bg-blue-100 text-blue-900",
  grey: "bg-slate-200 text-slate-900",
};

/** WCAG 2 contrast ratio of two "#rrggbb" colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
