import { beforeAll, describe, expect, it } from "vitest";
import { action as setupAction } from "~/routes/admin.funds.$fundId.ballot";
import { loader as rulesLoader } from "~/routes/funds.$fundId.ballot-rules[.]json";
import { loader as publicFundLoader } from "~/routes/funds.$fundId._index";
import { loader as fundsLoader } from "~/routes/funds._index";
import { action as codeAction, loader as codeLoader } from "~/routes/funds.$fundId.vote.code";
import { action as confirmAction, loader as confirmLoader } from "~/routes/funds.$fundId.vote.confirm";
import { action as joinAction, loader as joinLoader } from "~/routes/funds.$fundId.vote.join";
import { loader as ballotLoader } from "~/routes/funds.$fundId.vote._index";
import { JOIN_CODES_PER_HOUR, voterEmailHash } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { makeOpenBallot } from "../support/community-ballot";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

const join = async (fundId: string, fields: Record<string, string>) => runAction(joinAction, await postForm(`/funds/${fundId}/vote/join`, fields), { fundId });
const confirm = async (fundId: string, fields: Record<string, string>) =>
  runAction(confirmAction, await postForm(`/funds/${fundId}/vote/confirm`, fields), { fundId });

/** The code in the newest email to this address, read from the outbox as a person reads their inbox. */
async function codeEmailedTo(email: string): Promise<string> {
  const row = await getDb()
    .selectFrom("email_outbox")
    .select("body_text")
    .where("to_address", "=", email)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return /Your code is (\d{6})/.exec(row.body_text)![1]!;
}

const challengeOf = (response: Response) => new URL(response.headers.get("Location")!, "http://x").searchParams.get("challenge")!;
const voterCookieOf = (response: Response) => {
  const set = response.headers.getSetCookie().find((c) => c.startsWith("__voter="));
  return set ? cookiePair(set) : null;
};

/** Joins with a postcode and email, enters the emailed code; returns the voter cookie. */
async function joinAndConfirm(fundId: string, email: string, postcode = "BS5 0AB") {
  const started = await join(fundId, { postcode, email });
  expect(started.status, await started.clone().text()).toBe(302);
  const response = await confirm(fundId, { challenge: challengeOf(started), code: await codeEmailedTo(email) });
  expect(response.status, await response.clone().text()).toBe(302);
  return voterCookieOf(response)!;
}

describe("joining the electorate with a postcode and an emailed code", () => {
  it("a resident joins: a code goes through the outbox, the right code makes a voter and a voter session (not a staff session), audited", async () => {
    const { fundId, ballotId } = await makeOpenBallot(actorOf(admin));
    const started = await join(fundId, { postcode: " bs5 0ab ", email: "Resident.One@Example.test" });
    expect(started.status).toBe(302);
    expect(started.headers.get("Location")).toMatch(new RegExp(`^/funds/${fundId}/vote/confirm\\?challenge=`));
    const code = await codeEmailedTo("resident.one@example.test");
    const response = await confirm(fundId, { challenge: challengeOf(started), code });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/funds/${fundId}/vote`);
    const cookie = voterCookieOf(response)!;
    expect(cookie).toMatch(/^__voter=/);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("__session="))).toBe(false);

    const voters = await getDb().selectFrom("ballot_voter").selectAll().where("ballot_id", "=", ballotId).execute();
    expect(voters).toHaveLength(1);
    expect(voters[0]).toMatchObject({ postcode: "BS5 0AB", email_hash: voterEmailHash(ballotId, "resident.one@example.test") });
    // The email is kept nowhere in the ballot's tables.
    const challenge = await getDb().selectFrom("ballot_voter_challenge").selectAll().where("ballot_id", "=", ballotId).execute();
    expect(JSON.stringify([voters, challenge])).not.toContain("example.test");
    const events = await getDb().selectFrom("audit_event").select(["action", "after"]).where("entity_id", "=", voters[0]!.id).execute();
    expect(events.map((e) => e.action)).toEqual(["ballot_voter.joined"]);

    const page = (await (await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie }), { fundId })).json()) as {
      isVoter: boolean;
      projects: unknown[];
    };
    expect(page.isVoter).toBe(true);
    expect(page.projects).toHaveLength(3);
  });

  it("a postcode outside the area, a missing email and an unconfirmed minimum age are 400s with plain messages and the input kept", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin), { minAge: 16 });
    const outside = await join(fundId, { postcode: "BS50 1AA", email: "kept@example.test", ageConfirmed: "yes" });
    expect(outside.status).toBe(400);
    expect(await outside.json()).toMatchObject({
      errors: { postcode: "This postcode is not in the area of this vote. Check it and try again." },
      values: { postcode: "BS50 1AA", email: "kept@example.test" },
    });
    const noEmail = await join(fundId, { postcode: "BS5 0AB", email: "" });
    expect(noEmail.status).toBe(400);
    expect(((await noEmail.json()) as { errors: Record<string, string> }).errors.email).toBe("Enter your email address");
    const noAge = await join(fundId, { postcode: "BS5 0AB", email: "young@example.test" });
    expect(noAge.status).toBe(400);
    expect(((await noAge.json()) as { errors: Record<string, string> }).errors.ageConfirmed).toBe("Confirm that you are 16 or older");
    expect(await getDb().selectFrom("email_outbox").select("id").where("to_address", "in", ["kept@example.test", "young@example.test"]).execute()).toEqual([]);
  });

  it("a postcode on the uploaded list joins; one that is not is refused", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin), {}, { postcodes: "BS2 9TG\nBS3 1AA", prefixes: "" });
    expect((await join(fundId, { postcode: "bs29tg", email: "listed@example.test" })).status).toBe(302);
    expect((await join(fundId, { postcode: "BS2 9TH", email: "unlisted@example.test" })).status).toBe(400);
  });

  it("a wrong code is a 400 and counts; five wrong tries end the code, even the right one after", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin));
    const started = await join(fundId, { postcode: "BS5 0AB", email: "guesser@example.test" });
    const right = await codeEmailedTo("guesser@example.test");
    const wrong = right === "000000" ? "111111" : "000000";
    const first = await confirm(fundId, { challenge: challengeOf(started), code: wrong });
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ errors: { code: "That code is not right. Check the email and try again." }, values: { code: wrong } });
    for (let i = 0; i < 4; i += 1) await confirm(fundId, { challenge: challengeOf(started), code: wrong });
    const late = await confirm(fundId, { challenge: challengeOf(started), code: right });
    expect(late.status).toBe(400);
    expect(((await late.json()) as { errors: Record<string, string> }).errors.code).toMatch(/run out or been used/);
  });

  it("one person, one voter: the same email confirming 10 codes in parallel makes one voter, and a used code cannot be used again", async () => {
    const { fundId, ballotId } = await makeOpenBallot(actorOf(admin));
    const email = "parallel@example.test";
    const challenges: string[] = [];
    for (let i = 0; i < JOIN_CODES_PER_HOUR; i += 1) {
      const started = await join(fundId, { postcode: "BS5 0AB", email });
      const code = await codeEmailedTo(email);
      challenges.push(`${challengeOf(started)} ${code}`);
    }
    const answers = await Promise.all(
      challenges.map(async (c) => {
        const [challenge, code] = c.split(" ") as [string, string];
        return (await confirm(fundId, { challenge, code })).status;
      }),
    );
    expect(answers.every((s) => s === 302)).toBe(true);
    const voters = await getDb().selectFrom("ballot_voter").select("id").where("ballot_id", "=", ballotId).execute();
    expect(voters).toHaveLength(1);
    const [challenge, code] = challenges[0]!.split(" ") as [string, string];
    expect((await confirm(fundId, { challenge, code })).status).toBe(400);
    // One more code for the same email within the hour is refused, and nothing is sent.
    const sent = (await getDb().selectFrom("email_outbox").select("id").where("to_address", "=", email).execute()).length;
    const flood = await join(fundId, { postcode: "BS5 0AB", email });
    expect(flood.status).toBe(400);
    expect(((await flood.json()) as { errors: Record<string, string> }).errors.email).toMatch(/sent 10 codes to this email in the last hour/);
    expect(await getDb().selectFrom("email_outbox").select("id").where("to_address", "=", email).execute()).toHaveLength(sent);
  });
});

describe("a voter session opens one vote only", () => {
  it("a voter of one fund's vote is not a voter of another's, and a staff session is not a voter session", async () => {
    const first = await makeOpenBallot(actorOf(admin));
    const second = await makeOpenBallot(actorOf(admin));
    const cookie = await joinAndConfirm(first.fundId, "one.vote@example.test");
    const asVoter = async (fundId: string, c: string) =>
      ((await (await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie: c }), { fundId })).json()) as { isVoter: boolean }).isVoter;
    expect(await asVoter(first.fundId, cookie)).toBe(true);
    expect(await asVoter(second.fundId, cookie)).toBe(false);
    expect(await asVoter(first.fundId, adminCookie)).toBe(false);
  });

  it("an expired voter session no longer opens the ballot", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin));
    const cookie = await joinAndConfirm(fundId, "expiring@example.test");
    await getDb()
      .updateTable("ballot_voter_session")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const page = (await (await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie }), { fundId })).json()) as { isVoter: boolean };
    expect(page.isVoter).toBe(false);
  });
});

describe("printed single-use voter codes", () => {
  it("the administrator makes N codes, shown once and stored hashed; each lets one person in, and coming back with it is the same voter", async () => {
    const { fundId, ballotId } = await makeOpenBallot(actorOf(admin));
    const made = await runAction(setupAction, await postForm(`/admin/funds/${fundId}/ballot`, { intent: "codes", count: "5" }, { cookie: adminCookie }), {
      fundId,
    });
    expect(made.status).toBe(200);
    const { codes } = (await made.json()) as { codes: string[] };
    expect(codes).toHaveLength(5);
    expect(new Set(codes).size).toBe(5);
    const stored = await getDb().selectFrom("ballot_voter_code").select(["code_hash", "used_at"]).where("ballot_id", "=", ballotId).execute();
    expect(stored).toHaveLength(5);
    expect(JSON.stringify(stored)).not.toContain(codes[0]!);
    expect(JSON.stringify(await getDb().selectFrom("audit_event").select(["after"]).where("entity_id", "=", ballotId).execute())).not.toContain(codes[0]!);

    const use = async (code: string) => runAction(codeAction, await postForm(`/funds/${fundId}/vote/code`, { voterCode: code }), { fundId });
    const first = await use(codes[0]!.toLowerCase().replace(/-/g, " "));
    expect(first.status).toBe(302);
    expect(voterCookieOf(first)).toMatch(/^__voter=/);
    const again = await use(codes[0]!);
    expect(again.status).toBe(302);
    const voters = await getDb().selectFrom("ballot_voter").select(["id", "voter_code_id"]).where("ballot_id", "=", ballotId).execute();
    expect(voters).toHaveLength(1);
    const unknown = await use("AAAA-BBBB-CC");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      errors: { voterCode: "We do not know this code. Check it and try again." },
      values: { voterCode: "AAAA-BBBB-CC" },
    });
  });

  it("making codes needs a number from 1 to 1,000: a 400 otherwise", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin));
    const response = await runAction(
      setupAction,
      await postForm(`/admin/funds/${fundId}/ballot`, { intent: "codes", count: "5000" }, { cookie: adminCookie }),
      { fundId },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.count).toBe("Make from 1 to 1,000 codes at a time");
  });
});

describe("the electorate list is never public", () => {
  it("no public page or file shows who joined: not their postcode, nor their email, nor how many", async () => {
    const { fundId } = await makeOpenBallot(actorOf(admin), {}, { postcodes: "BS5 7QZ\nBS5 0AB", prefixes: "" });
    const voterCookie = await joinAndConfirm(fundId, "private.person@example.test", "BS5 7QZ");
    const other = await joinAndConfirm(fundId, "someone.else@example.test", "BS5 0AB");
    const pages = [
      () => runLoader(fundsLoader, getRequest(`/funds`)),
      () => runLoader(publicFundLoader, getRequest(`/funds/${fundId}`), { fundId }),
      () => runLoader(rulesLoader, getRequest(`/funds/${fundId}/ballot-rules.json`), { fundId }),
      () => runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`), { fundId }),
      () => runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie: other }), { fundId }),
      () => runLoader(joinLoader, getRequest(`/funds/${fundId}/vote/join`, { cookie: other }), { fundId }),
      () => runLoader(confirmLoader, getRequest(`/funds/${fundId}/vote/confirm`, { cookie: other }), { fundId }),
      () => runLoader(codeLoader, getRequest(`/funds/${fundId}/vote/code`, { cookie: other }), { fundId }),
    ];
    for (const page of pages) {
      const text = await (await page()).text();
      expect(text).not.toContain("BS5 7QZ");
      expect(text).not.toContain("private.person");
      expect(text).not.toMatch(/voters|electorate|joined/i);
    }
    // The control: the voter's own page works with their cookie.
    expect(
      (await (await runLoader(ballotLoader, getRequest(`/funds/${fundId}/vote`, { cookie: voterCookie }), { fundId })).json()) as { isVoter: boolean },
    ).toMatchObject({ isVoter: true });
  });
});
