import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { matchingStep, totpCodeAt } from "~/auth/two-factor.server";
import { MAX_CODE_ATTEMPTS, MAX_FAILED_CODES, formatRecoveryCode } from "~/domain/two-factor";
import { action as twoFactorAction, loader as twoFactorLoader } from "~/routes/account.two-factor";
import { loader as adminLoader } from "~/routes/admin._index";
import { action as organisationsAction } from "~/routes/admin.organisations";
import { loader as homeLoader } from "~/routes/home";
import { loader as leadLoader } from "~/routes/lead._index";
import { loader as fundLoader } from "~/routes/funds.$fundId._index";
import { action as acceptAction } from "~/routes/invitations.$token";
import { action as loginAction } from "~/routes/login";
import { action as codeAction, loader as codeLoader } from "~/routes/login_.code";
import { inviteUser } from "~/services/accounts.server";
import { confirmTwoFactorSetUp, startTwoFactorSetUp } from "~/services/two-factor.server";
import { getDb } from "~/utils/db.server";
import { actorOf, auditEventsFor, makeFund, makeOrganisation, makeUser, TEST_PASSWORD } from "../factories";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

/** The pending sign-in's cookie a response set, as "name=value", or null. */
function pendingCookieFrom(response: Response): string | null {
  const set = response.headers.getSetCookie().find((c) => c.startsWith("__signin_pending=") && !/Max-Age=0/i.test(c));
  return set ? cookiePair(set) : null;
}

/** Gives the right password; returns the pending sign-in cookie the second step needs. */
async function passwordStep(email: string): Promise<string> {
  const response = await runAction(loginAction, await postForm("/login", { email, password: TEST_PASSWORD }));
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/login/code");
  expect(sessionCookieFrom(response), "no session before the second factor").toBeNull();
  const pending = pendingCookieFrom(response);
  expect(pending).not.toBeNull();
  return pending!;
}

const enterCode = async (pending: string, code: string) => runAction(codeAction, await postForm("/login/code", { code }, { cookie: pending }));

const leadWithTwoFactor = async () => makeUser({ role: "lead_org", organisationId: (await makeOrganisation({ kind: "lead_org" })).id, hasTwoFactor: true });

async function twoFactorRow(userId: string) {
  return getDb().selectFrom("two_factor").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

describe("codes", () => {
  it("are RFC 6238's: its SHA-1 test vectors, last 6 digits, and one step either side of now is accepted", () => {
    const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890" in base32
    expect(totpCodeAt(rfcSecret, new Date(59_000))).toBe("287082");
    expect(totpCodeAt(rfcSecret, new Date(1_111_111_109_000))).toBe("081804");
    expect(totpCodeAt(rfcSecret, new Date(2_000_000_000_000))).toBe("279037");
    const now = new Date(1_111_111_109_000);
    expect(matchingStep(rfcSecret, "081804", now)).toBe(0x23523ec);
    expect(matchingStep(rfcSecret, totpCodeAt(rfcSecret, new Date(now.getTime() + 30_000)), now)).toBe(0x23523ed);
    expect(matchingStep(rfcSecret, totpCodeAt(rfcSecret, new Date(now.getTime() - 60_000)), now)).toBeNull();
  });
});

describe("setting up two-factor sign-in", () => {
  it("shows a key, turns on only with a right code from it, and shows 10 recovery codes once, storing only their hashes", async () => {
    const person = await makeUser({ role: "lead_org", organisationId: (await makeOrganisation({ kind: "lead_org" })).id });
    const cookie = await sessionCookieFor(person.id);
    const before = await (await runLoader(twoFactorLoader, getRequest("/account/two-factor", { cookie }))).json();
    expect(before).toMatchObject({ isRequired: false, isEnrolled: false, setUp: null });

    const started = await runAction(twoFactorAction, await postForm("/account/two-factor", { intent: "start" }, { cookie }));
    expect(started.status).toBe(302);
    const page = await (await runLoader(twoFactorLoader, getRequest("/account/two-factor", { cookie }))).json();
    expect(page.setUp.qr).toMatch(/^data:image\/png;base64,/);
    const secret = page.setUp.key.replace(/ /g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // Encrypted at rest: the row does not hold the key as typed.
    expect(JSON.stringify(await twoFactorRow(person.id))).not.toContain(secret);

    const wrong = await runAction(twoFactorAction, await postForm("/account/two-factor", { intent: "confirm", code: "000000" }, { cookie }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors.code).toMatch(/The code is not right/);
    expect((await twoFactorRow(person.id))?.confirmed_at).toBeNull();

    const confirmed = await runAction(
      twoFactorAction,
      await postForm("/account/two-factor", { intent: "confirm", code: totpCodeAt(secret, new Date()) }, { cookie }),
    );
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = await confirmed.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await getDb().selectFrom("recovery_code").select("code_hash").where("user_id", "=", person.id).execute();
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code);
    expect((await twoFactorRow(person.id))?.confirmed_at).not.toBeNull();
    expect((await auditEventsFor("user.two_factor_enabled")).map((e) => e.entity_id)).toContain(person.id);
    const after = await (await runLoader(twoFactorLoader, getRequest("/account/two-factor", { cookie }))).json();
    expect(after).toMatchObject({ isEnrolled: true, setUp: null, recoveryCodesLeft: 10 });
  });

  it("someone who is not an administrator may turn it off with a current code, and then signs in with a password alone", async () => {
    const person = await leadWithTwoFactor();
    const cookie = await sessionCookieFor(person.id);
    const wrong = await runAction(twoFactorAction, await postForm("/account/two-factor", { intent: "disable", code: "123456" }, { cookie }));
    expect(wrong.status).toBe(400);
    expect(await twoFactorRow(person.id)).toBeDefined();

    const off = await runAction(
      twoFactorAction,
      await postForm("/account/two-factor", { intent: "disable", code: totpCodeAt(person.totpSecret!, new Date()) }, { cookie }),
    );
    expect(off.status).toBe(302);
    expect(await twoFactorRow(person.id)).toBeUndefined();
    const signIn = await runAction(loginAction, await postForm("/login", { email: person.email, password: TEST_PASSWORD }));
    expect(signIn.headers.get("Location")).toBe("/lead");
    expect(sessionCookieFrom(signIn)).not.toBeNull();
  });

  it("an administrator cannot turn it off, even with a right code", async () => {
    const admin = await makeUser({ role: "admin" });
    const cookie = await sessionCookieFor(admin.id);
    const response = await runAction(
      twoFactorAction,
      await postForm("/account/two-factor", { intent: "disable", code: totpCodeAt(admin.totpSecret!, new Date()) }, { cookie }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors.form).toMatch(/Administrators must use two-factor sign-in/);
    expect((await twoFactorRow(admin.id))?.confirmed_at).not.toBeNull();
  });
});

describe("signing in with two-factor sign-in", () => {
  it("a right password leads to the second step, which opens nothing else; a right code then starts the session", async () => {
    const person = await leadWithTwoFactor();
    const pending = await passwordStep(person.email);
    expect(await getSessionUser(getDb(), getRequest("/", { cookie: pending }))).toBeNull();
    const home = await runLoader(homeLoader, getRequest("/home", { cookie: pending }));
    expect(home.status).toBe(302);
    expect(home.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await runLoader(codeLoader, getRequest("/login/code", { cookie: pending }))).status).toBe(200);

    const done = await enterCode(pending, totpCodeAt(person.totpSecret!, new Date()));
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/lead");
    const session = sessionCookieFrom(done);
    expect((await getSessionUser(getDb(), getRequest("/", { cookie: session! })))?.id).toBe(person.id);
    expect(await getDb().selectFrom("pending_sign_in").select("id").where("user_id", "=", person.id).execute()).toEqual([]);
    // The pending cookie is spent: it does not open the second step again.
    expect((await runLoader(codeLoader, getRequest("/login/code", { cookie: pending }))).headers.get("Location")).toBe("/login");
  });

  it("the page someone was going to when asked to sign in is where the second step sends them", async () => {
    const admin = await makeUser({ role: "admin" });
    const login = await runAction(
      loginAction,
      await postForm("/login", { email: admin.email, password: TEST_PASSWORD, redirectTo: "/admin/audit?action=user.disabled" }),
    );
    expect(login.headers.get("Location")).toBe("/login/code");
    const done = await enterCode(pendingCookieFrom(login)!, totpCodeAt(admin.totpSecret!, new Date()));
    expect(done.headers.get("Location")).toBe("/admin/audit?action=user.disabled");
    expect((await runLoader(adminLoader, getRequest("/admin", { cookie: sessionCookieFrom(done)! }))).status).toBe(200);
  });

  it("a wrong code is refused with a plain message and no session", async () => {
    const person = await leadWithTwoFactor();
    const pending = await passwordStep(person.email);
    const right = totpCodeAt(person.totpSecret!, new Date());
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    const response = await enterCode(pending, wrong);
    expect(response.status).toBe(400);
    expect((await response.json()).errors.code).toMatch(/The code is not right/);
    expect(sessionCookieFrom(response)).toBeNull();
    const malformed = await enterCode(pending, "12ab");
    expect(malformed.status).toBe(400);
  });

  it("a code works once: the same code at a second sign-in is refused", async () => {
    const person = await leadWithTwoFactor();
    const code = totpCodeAt(person.totpSecret!, new Date());
    expect((await enterCode(await passwordStep(person.email), code)).status).toBe(302);
    const replay = await enterCode(await passwordStep(person.email), code);
    expect(replay.status).toBe(400);
    expect((await replay.json()).errors.code).toMatch(/already been used/);
    expect(sessionCookieFrom(replay)).toBeNull();
  });

  it("the same code sent twice at once starts one session", async () => {
    const person = await leadWithTwoFactor();
    const code = totpCodeAt(person.totpSecret!, new Date());
    const [a, b] = await Promise.all([passwordStep(person.email), passwordStep(person.email)]);
    const responses = await Promise.all([enterCode(a, code), enterCode(b, code)]);
    expect(responses.map((r) => r.status).sort()).toEqual([302, 400]);
  });

  it("a recovery code signs in once, as typed on paper (dashes, lower case), and is on the audit trail", async () => {
    const person = await makeUser({ role: "lead_org", organisationId: (await makeOrganisation({ kind: "lead_org" })).id });
    await startTwoFactorSetUp(getDb(), person.id);
    const row = await twoFactorRow(person.id);
    expect(row?.pending_secret).toBeTruthy();
    // The page shows the key; the service is given a code from it the way the page gives it.
    const page = await (await runLoader(twoFactorLoader, getRequest("/account/two-factor", { cookie: await sessionCookieFor(person.id) }))).json();
    const codes = await confirmTwoFactorSetUp(getDb(), person.id, totpCodeAt(page.setUp.key.replace(/ /g, ""), new Date()));

    const typed = formatRecoveryCode(codes[3]!).toLowerCase();
    const first = await enterCode(await passwordStep(person.email), typed);
    expect(first.status).toBe(302);
    expect(sessionCookieFrom(first)).not.toBeNull();
    expect((await auditEventsFor("user.recovery_code_used")).map((e) => e.entity_id)).toContain(person.id);

    const again = await enterCode(await passwordStep(person.email), typed);
    expect(again.status).toBe(400);
    expect(sessionCookieFrom(again)).toBeNull();
    const left = await getDb().selectFrom("recovery_code").select("id").where("user_id", "=", person.id).where("used_at", "is", null).execute();
    expect(left).toHaveLength(9);
  });

  it(`after ${MAX_CODE_ATTEMPTS} wrong codes the pending sign-in ends, and even a right code then needs the password again`, async () => {
    const person = await leadWithTwoFactor();
    const pending = await passwordStep(person.email);
    const answers: number[] = [];
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i += 1) answers.push((await enterCode(pending, "000000")).status);
    expect(answers).toEqual(Array(MAX_CODE_ATTEMPTS).fill(400));
    const right = await enterCode(pending, totpCodeAt(person.totpSecret!, new Date()));
    expect(right.status).toBe(302);
    expect(right.headers.get("Location")).toBe("/login");
    expect(sessionCookieFrom(right)).toBeNull();
  });

  it("20 wrong codes sent at once check at most the limit, and end the pending sign-in", async () => {
    const person = await leadWithTwoFactor();
    const pending = await passwordStep(person.email);
    const requests = await Promise.all(Array.from({ length: 20 }, () => postForm("/login/code", { code: "000000" }, { cookie: pending })));
    const responses = await Promise.all(requests.map((r) => runAction(codeAction, r)));
    expect(responses.every((r) => r.status === 400 || r.status === 302)).toBe(true);
    expect((await twoFactorRow(person.id))?.failed_count).toBeLessThanOrEqual(MAX_CODE_ATTEMPTS);
    expect(await getDb().selectFrom("pending_sign_in").select("id").where("user_id", "=", person.id).execute()).toEqual([]);
  });

  it(`after ${MAX_FAILED_CODES} wrong codes across sign-ins, the account refuses every code for a while`, async () => {
    const person = await leadWithTwoFactor();
    for (let round = 0; round < MAX_FAILED_CODES / MAX_CODE_ATTEMPTS; round += 1) {
      const pending = await passwordStep(person.email);
      for (let i = 0; i < MAX_CODE_ATTEMPTS; i += 1) await enterCode(pending, "000000");
    }
    const locked = await enterCode(await passwordStep(person.email), totpCodeAt(person.totpSecret!, new Date()));
    expect(locked.status).toBe(400);
    expect((await locked.json()).errors.code).toMatch(/too many wrong codes/);
    expect(sessionCookieFrom(locked)).toBeNull();
  });
});

describe("other ways in", () => {
  it("accepting an invitation with the password of an account that has two-factor sign-in asks for a code before any session", async () => {
    const admin = await makeUser({ role: "admin" });
    const person = await leadWithTwoFactor();
    const org = await makeOrganisation({ kind: "lead_org" });
    const { token } = await inviteUser(getDb(), actorOf(admin), { name: "Lee", email: person.email, role: "lead_org", organisationId: org.id });
    const accepted = await runAction(acceptAction, await postForm(`/invitations/${token}`, { name: "Lee", password: TEST_PASSWORD }), { token });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/login/code");
    expect(sessionCookieFrom(accepted)).toBeNull();
    const done = await enterCode(pendingCookieFrom(accepted)!, totpCodeAt(person.totpSecret!, new Date()));
    expect(sessionCookieFrom(done)).not.toBeNull();
  });
});

describe("administrators must use two-factor sign-in", () => {
  it("an administrator who has not set it up is sent to set it up before any administrator page works, and gets in once they have", async () => {
    const admin = await makeUser({ role: "admin", hasTwoFactor: false });
    const cookie = await sessionCookieFor(admin.id);
    const page = await runLoader(adminLoader, getRequest("/admin", { cookie }));
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/account/two-factor?redirectTo=%2Fadmin");

    const organisationsBefore = await getDb().selectFrom("organisation").select("id").execute();
    const post = await runAction(
      organisationsAction,
      await postForm("/admin/organisations", { name: "Lead from nowhere", contactName: "Someone", contactEmail: "someone@example.test" }, { cookie }),
    );
    expect(post.status).toBe(302);
    expect(post.headers.get("Location")).toMatch(/^\/account\/two-factor\?redirectTo=/);
    expect(await getDb().selectFrom("organisation").select("id").execute()).toHaveLength(organisationsBefore.length);

    const setUp = await (await runLoader(twoFactorLoader, getRequest("/account/two-factor", { cookie }))).json();
    expect(setUp).toMatchObject({ isRequired: true, isEnrolled: false, next: "/admin" });
    await runAction(twoFactorAction, await postForm("/account/two-factor", { intent: "start" }, { cookie }));
    const { setUp: shown } = await (await runLoader(twoFactorLoader, getRequest("/account/two-factor", { cookie }))).json();
    const code = totpCodeAt(shown.key.replace(/ /g, ""), new Date());
    expect((await runAction(twoFactorAction, await postForm("/account/two-factor", { intent: "confirm", code }, { cookie }))).status).toBe(200);
    expect((await runLoader(adminLoader, getRequest("/admin", { cookie }))).status).toBe(200);
  });

  it("until they have, an administrator holds no administrator powers anywhere, even on a page anyone may open (an unpublished fund's preview)", async () => {
    const fund = await makeFund();
    await getDb().updateTable("fund").set({ is_published: 0 }).where("id", "=", fund.id).execute();
    const withIt = await makeUser({ role: "admin" });
    const without = await makeUser({ role: "admin", hasTwoFactor: false });
    const preview = async (userId: string) =>
      (await runLoader(fundLoader, getRequest(`/funds/${fund.id}`, { cookie: await sessionCookieFor(userId) }), { fundId: fund.id })).status;
    expect(await preview(withIt.id)).toBe(200);
    expect(await preview(without.id)).toBe(404);
  });

  it("someone who is not an administrator is not asked to set it up", async () => {
    const person = await makeUser({ role: "lead_org", organisationId: (await makeOrganisation({ kind: "lead_org" })).id });
    expect((await runLoader(leadLoader, getRequest("/lead", { cookie: await sessionCookieFor(person.id) }))).status).toBe(200);
  });
});
