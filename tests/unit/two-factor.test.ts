import { describe, expect, it } from "vitest";
import { compactCode, formatRecoveryCode, isRecoveryCode, isTotpCode, requiresTwoFactor, totpStepAt } from "~/domain/two-factor";

const membership = (role: "admin" | "applicant" | "lead_org" | "panel_member" | "adviser") => ({
  id: `m-${role}`,
  role,
  organisationId: role === "applicant" || role === "lead_org" ? "org" : null,
  decisionGroupId: role === "panel_member" || role === "adviser" ? "group" : null,
  fundId: null,
});

describe("two-factor rules", () => {
  it("is required for anyone who may act as an administrator, under any of their memberships, and for nobody else", () => {
    expect(requiresTwoFactor("u", [membership("admin")])).toBe(true);
    expect(requiresTwoFactor("u", [membership("applicant"), membership("admin")])).toBe(true);
    expect(requiresTwoFactor("u", [membership("applicant"), membership("lead_org"), membership("panel_member"), membership("adviser")])).toBe(false);
    expect(requiresTwoFactor("u", [])).toBe(false);
  });

  it("reads codes as people type them: spaces and dashes dropped, recovery codes in capitals", () => {
    expect(compactCode(" 123 456 ")).toBe("123456");
    expect(isTotpCode(compactCode("123 456"))).toBe(true);
    expect(isTotpCode("12345")).toBe(false);
    const code = "ABCD23EFGH45";
    expect(formatRecoveryCode(code)).toBe("ABCD-23EF-GH45");
    expect(isRecoveryCode(compactCode(formatRecoveryCode(code).toLowerCase()))).toBe(true);
    // 0, 1, O, I and L are left out of recovery codes, so they cannot be misread.
    expect(isRecoveryCode("ABCD0EFGH1IJ")).toBe(false);
  });

  it("puts moments in 30-second steps from the Unix epoch (RFC 6238's test vector time)", () => {
    expect(totpStepAt(new Date(59_000))).toBe(1);
    expect(totpStepAt(new Date(1_111_111_109_000))).toBe(0x23523ec);
  });
});
