import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import colors from "tailwindcss/colors";
import { describe, expect, it } from "vitest";
import { ProposalStatusTag } from "~/components/ui/status-tag";
import { PROPOSAL_STATUSES, STATUS_LABELS } from "~/domain/proposal-status";
import { contrastRatio, PROPOSAL_STATUS_TONES, TONE_CLASSES } from "~/domain/status-tone";

/** "bg-green-100" to Tailwind's hex for green 100. */
const hexOf = (utility: string) => {
  const [, name, shade] = /^(?:bg|text)-(\w+)-(\d+)$/.exec(utility)!;
  return (colors as unknown as Record<string, Record<string, string>>)[name!]![shade!]!;
};

describe("status tags", () => {
  it("measures contrast as WCAG does", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it.each(Object.entries(TONE_CLASSES))("the %s tag's words are at least 4.5:1 on its background", (_tone, classes) => {
    const [bg, fg] = classes.split(" ") as [string, string];
    expect(contrastRatio(hexOf(fg), hexOf(bg))).toBeGreaterThanOrEqual(4.5);
  });

  it("colours carry meaning: good news green, stopped red, asked to act yellow, waiting blue", () => {
    expect(PROPOSAL_STATUS_TONES.funded).toBe("green");
    expect(PROPOSAL_STATUS_TONES.not_funded).toBe("red");
    expect(PROPOSAL_STATUS_TONES.changes_requested).toBe("yellow");
    expect(PROPOSAL_STATUS_TONES.under_review).toBe("blue");
  });

  it.each(PROPOSAL_STATUSES)("a %s tag always says its status in words", (status) => {
    const html = renderToStaticMarkup(createElement(ProposalStatusTag, { status, label: STATUS_LABELS[status] }));
    expect(html).toBe(`<strong class="tag ${TONE_CLASSES[PROPOSAL_STATUS_TONES[status]]}">${STATUS_LABELS[status]}</strong>`);
  });
});
