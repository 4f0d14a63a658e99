import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS } from "~/auth/common-passwords.server";
import { hashPassword, parseHash, passwordProblem, scryptParams, SCRYPT_PARAMS, verifyPassword } from "~/auth/password.server";

describe("password hashing", () => {
  it("production hashes use scrypt at OWASP's floor or above: N ≥ 2^17, r = 8, p = 1", () => {
    expect(scryptParams({ NODE_ENV: "production" })).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    // The test-only lower cost is ignored outside tests.
    expect(scryptParams({ NODE_ENV: "production", SCRYPT_TEST_LOG2N: "12" })).toEqual(SCRYPT_PARAMS);
    expect(scryptParams({ NODE_ENV: "development", SCRYPT_TEST_LOG2N: "12" })).toEqual(SCRYPT_PARAMS);
    expect(scryptParams({ NODE_ENV: "test", SCRYPT_TEST_LOG2N: "12" }).N).toBe(2 ** 12);
  });

  it("hashes with the production cost when no test cost is set, with a 16-byte salt", async () => {
    const saved = process.env.SCRYPT_TEST_LOG2N;
    delete process.env.SCRYPT_TEST_LOG2N;
    const parsed = await hashPassword("teapot river lantern")
      .then(parseHash)
      .finally(() => (process.env.SCRYPT_TEST_LOG2N = saved));
    expect(parsed).not.toBeNull();
    expect(parsed!.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(parsed!.r).toBe(8);
    expect(parsed!.p).toBe(1);
    expect(parsed!.salt.length).toBe(16);
    expect(parsed!.key.length).toBeGreaterThanOrEqual(32);
  });

  it("the same password hashes differently each time, because of the salt", async () => {
    const [a, b] = await Promise.all([hashPassword("teapot river lantern"), hashPassword("teapot river lantern")]);
    expect(a).not.toBe(b);
  });

  it("the right password verifies and a wrong one does not", async () => {
    const stored = await hashPassword("teapot river lantern");
    expect(await verifyPassword("teapot river lantern", stored)).toBe(true);
    expect(await verifyPassword("teapot river lanterns", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("a stored value that is not an scrypt hash never verifies", async () => {
    expect(parseHash("plain-text-password")).toBeNull();
    expect(await verifyPassword("plain-text-password", "plain-text-password")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$10$abc$def$ghi")).toBe(false);
  });
});

describe("new password rules", () => {
  it("refuses a password under 10 characters", () => {
    expect(passwordProblem("abc12345!")).toBe("Password must be at least 10 characters");
  });

  it("refuses a password over 64 characters", () => {
    expect(passwordProblem("a".repeat(30) + "b".repeat(35))).toBe("Password must be 64 characters or fewer");
  });

  it("refuses a common password, whatever its case", () => {
    expect(COMMON_PASSWORDS.has("qwertyuiop123")).toBe(true);
    expect(passwordProblem("qwertyuiop123")).toMatch(/too common/);
    expect(passwordProblem("QwertyUIOP123")).toMatch(/too common/);
    expect(passwordProblem("password123")).toMatch(/too common/);
  });

  it("accepts a random 64-character password and a 10-character one", () => {
    const random = randomBytes(48).toString("base64");
    expect(random).toHaveLength(64);
    expect(passwordProblem(random)).toBeNull();
    expect(passwordProblem("teapot-rvr")).toBeNull();
  });
});
