import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ERASED_VALUE,
  isSealed,
  keyIdOf,
  openValue,
  recordSubject,
  redactMentions,
  revealPersonalFields,
  sealedValuesIn,
  sealPersonalFields,
  sealValue,
  type SealedValue,
} from "~/domain/personal-data";

const USER = "u-1";
const lookup = (entityType: string, entityId: string) => ({
  entityType,
  entityId,
  isUserId: (id: string) => id === USER,
  userIdByEmail: (email: string) => (email === "ada@example.test" ? USER : undefined),
});
/** A seal that shows which subject each value went to, without encryption. */
const tag = (plain: string, subject: string): SealedValue => ({ $personal: `${subject}|${plain}` });

describe("which fields are personal", () => {
  it("a user's name and email are sealed under the user's own key", () => {
    expect(sealPersonalFields({ id: USER, name: "Ada", email: "ada@example.test", role: "admin" }, lookup("user", USER), tag)).toEqual({
      id: USER,
      name: { $personal: `${USER}|Ada` },
      email: { $personal: `${USER}|ada@example.test` },
      role: "admin",
    });
  });

  it("a fund's or a decision group's name is not personal; a chair's name inside a group's event is, under the chair's key", () => {
    expect(sealPersonalFields({ id: "f-1", name: "Community Fund", budget_pence: 100 }, lookup("fund", "f-1"), tag)).toEqual({
      id: "f-1",
      name: "Community Fund",
      budget_pence: 100,
    });
    expect(sealPersonalFields({ id: USER, name: "Ada" }, lookup("decision_group", "g-1"), tag)).toEqual({ id: USER, name: { $personal: `${USER}|Ada` } });
  });

  it("an organisation's contact details are sealed under the organisation's record key, its name is not", () => {
    const sealed = sealPersonalFields(
      { id: "o-1", name: "Allotments", contact_name: "Ada", contact_email: "x@example.test", contact_phone: null },
      lookup("organisation", "o-1"),
      tag,
    );
    expect(sealed).toEqual({
      id: "o-1",
      name: "Allotments",
      contact_name: { $personal: `${recordSubject("organisation", "o-1")}|Ada` },
      contact_email: { $personal: `${recordSubject("organisation", "o-1")}|x@example.test` },
      contact_phone: null,
    });
  });

  it("an invitation's name and email are personal, at any depth, and found by email when the person has an account", () => {
    expect(sealPersonalFields({ invitee: { name: "Ada", email: "ada@example.test" } }, lookup("invitation", "i-1"), tag)).toEqual({
      invitee: { name: { $personal: `${USER}|Ada` }, email: { $personal: `${USER}|ada@example.test` } },
    });
    expect(sealPersonalFields({ name: "Bo", email: "bo@example.test" }, lookup("invitation", "i-2"), tag)).toEqual({
      name: { $personal: "record:invitation:i-2|Bo" },
      email: { $personal: "record:invitation:i-2|bo@example.test" },
    });
  });
});

describe("sealing and opening", () => {
  const key = randomBytes(32);

  it("opens with the right key, and not with another, nor after the ciphertext is altered", () => {
    const sealed = sealValue("k-1", key, "Ada Lovelace");
    expect(isSealed(sealed)).toBe(true);
    expect(keyIdOf(sealed)).toBe("k-1");
    expect(sealed.$personal).not.toContain("Ada");
    expect(openValue(sealed, key)).toBe("Ada Lovelace");
    expect(openValue(sealed, randomBytes(32))).toBeNull();
    expect(openValue(sealed, undefined)).toBeNull();
    const parts = sealed.$personal.split(".");
    parts[3] = Buffer.from("Bob Lovelace").toString("base64url");
    expect(openValue({ $personal: parts.join(".") }, key)).toBeNull();
  });

  it("reveals what it can open and says (erased) for the rest", () => {
    const payload = { a: sealValue("k-1", key, "kept"), b: [sealValue("k-2", randomBytes(32), "lost")], c: 3 };
    expect(sealedValuesIn(payload)).toHaveLength(2);
    const open = (s: SealedValue) => (keyIdOf(s) === "k-1" ? openValue(s, key) : null);
    expect(revealPersonalFields(payload, open)).toEqual({ a: "kept", b: [ERASED_VALUE], c: 3 });
  });

  it("redacts mentions of a person's name and email, ignoring case", () => {
    expect(redactMentions("Ask ADA LOVELACE at Ada@Example.test", { name: "Ada Lovelace", email: "ada@example.test" }, "erased-1@erased.invalid")).toBe(
      "Ask Erased person at erased-1@erased.invalid",
    );
  });
});
