import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { dotsPath, ScoreChart, type ResultRowView } from "~/components/group-results-view";

const row = (totals: number[]): ResultRowView => ({
  id: "p1",
  reference: "P-0001",
  title: "Hall roof",
  statusLabel: "Eligible",
  scorerCount: totals.length,
  mean: totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : null,
  median: null,
  minimum: totals.length ? Math.min(...totals) : null,
  maximum: totals.length ? Math.max(...totals) : null,
  standardDeviation: null,
  meanPercent: null,
  normalisedScore: null,
  totals,
});

const elementCount = (html: string) => (html.match(/<(line|path|circle|text|g)\b/g) ?? []).length;

describe("a proposal's score spread (issue 11: no SVG element per score)", () => {
  it("draws every scorer's total as one path, so 40 scorers cost as many elements as 2", () => {
    const many = renderToStaticMarkup(createElement(ScoreChart, { row: row(Array.from({ length: 40 }, (_, i) => 10 + i)), maximumTotal: 50 }));
    const few = renderToStaticMarkup(createElement(ScoreChart, { row: row([20, 30]), maximumTotal: 50 }));
    expect(many).not.toContain("<circle");
    expect(elementCount(many)).toBe(elementCount(few));
    // Still every total: one circle (two arcs) each, and the text alternative names the spread.
    expect(many.match(/ a 4 4 0 1 0 8 0 /g)).toHaveLength(40);
    expect(many).toContain("P-0001: 40 scorers, weighted totals from 10 to 49 out of 50");
  });

  it("places each dot at its total on the axis", () => {
    expect(dotsPath([12, 248], 18)).toBe("M 8 18 a 4 4 0 1 0 8 0 a 4 4 0 1 0 -8 0 M 244 18 a 4 4 0 1 0 8 0 a 4 4 0 1 0 -8 0");
  });

  it("draws no dots for a proposal nobody has scored", () => {
    const html = renderToStaticMarkup(createElement(ScoreChart, { row: row([]), maximumTotal: 50 }));
    expect(html).toContain("P-0001: not scored yet");
    expect(html).not.toContain(" a 4 4 ");
  });
});
