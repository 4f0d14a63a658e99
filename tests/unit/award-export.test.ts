import { describe, expect, it } from "vitest";
import { penceToPlainPounds } from "~/domain/award-export";
import { barPercent } from "~/domain/award-dashboard";

describe("money in exports", () => {
  it("writes pence as plain pounds with two decimal places", () => {
    expect(penceToPlainPounds(0)).toBe("0.00");
    expect(penceToPlainPounds(5)).toBe("0.05");
    expect(penceToPlainPounds(123_456)).toBe("1234.56");
    expect(penceToPlainPounds(-150)).toBe("-1.50");
    expect(penceToPlainPounds(null)).toBe("");
  });
});

describe("chart bars", () => {
  it("are a percentage of the largest, and empty when nothing is paid", () => {
    expect(barPercent(50, 200)).toBe(25);
    expect(barPercent(0, 0)).toBe(0);
  });
});
