import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_MEMBER_PASSWORD } from "../../db/demo-data";
import { EXTRA_PANEL_MEMBERS } from "../../db/demo-panels";
import { MAX_FAILURES } from "~/auth/throttle.server";
import { SIGN_IN_FAILED, SIGN_IN_THROTTLED } from "~/auth/authenticator.server";
import { verifyAuditChain } from "~/models/audit.server";
import { createPostgresTestSchema, type PostgresTestSchema } from "../support/postgres";
import { postgresUrlOrSkip } from "../support/postgres-skip";
import { nextDemoCode } from "./browser";
import { CookieJar, formOn, linksOn, radioGroupsOn, valuesOn, type FormToSend, type Served } from "./http-client";
import { startServer, type RunningServer } from "./server";

// Issue 14's two-server test: two portal processes (server.js, the production
// build, one process each) on one PostgreSQL schema, started at the same moment
// on an empty database. Over HTTP only (no browser), each step reads its page
// from one server and posts the form to the other, through the applicant → lead
// organisation → panel → award journey; parallel duplicates go to both servers
// at once, and one row results while the rest get a plain answer, never a 500.
// Run alone: TEST_DATABASE_URL=… npx vitest run -c tests/e2e/vitest.config.ts tests/e2e/two-servers.test.ts

const TWO_FACTOR_KEY = "2e2e".repeat(16);
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const admin = account("admin");
const APPLICANT_EMAIL = "filwood-boxing-club@demo.example";
const LEAD_EMAIL = "south-lead@demo.example";
const GROUP = "South Bristol";
const PANEL = EXTRA_PANEL_MEMBERS.filter((m) => m.group === GROUP);
const CHAIR_EMAIL = "south-resident@demo.example";
const THROTTLED_EMAIL = "equality-vcse@demo.example";
const TITLE = `Boxing gym roof ${Date.now().toString(36)}`;
const today = new Date().toISOString().slice(0, 10);

describe("two portal servers on one PostgreSQL database", () => {
  const databaseUrl = postgresUrlOrSkip();
  if (!databaseUrl) return;
  let pg: PostgresTestSchema;
  let a: RunningServer;
  let b: RunningServer;
  const jars: CookieJar[] = [];
  const person = (who: string) => {
    const jar = new CookieJar(who);
    jars.push(jar);
    return jar;
  };
  /** Server A, then B, then A…: each call names the other server. */
  let turn = 0;
  const next = () => (turn++ % 2 === 0 ? a.baseUrl : b.baseUrl);
  /** Reads a page from one server and posts its form to the other. */
  async function press(jar: CookieJar, path: string, button: string | RegExp, fields: Record<string, string | string[]> = {}): Promise<Served> {
    const page = await jar.get(next(), path);
    return jar.post(next(), formOn(page, button, fields));
  }
  async function signIn(jar: CookieJar, email: string, password: string): Promise<Served> {
    let landed = await press(jar, "/login", "Sign in", { email, password });
    // The demo administrators sign in with a code: their secret is sealed with TWO_FACTOR_KEY, which both servers share.
    if (landed.path.startsWith("/login/code")) landed = await jar.post(next(), formOn(landed, "Continue", { code: await nextDemoCode(email) }));
    expect(landed.text, `${email} is signed in`).toContain("Signed in as");
    return landed;
  }
  /** Sends each form to both servers at once (the same form twice: the same one-time key), and waits for every answer. */
  const sendToBoth = (jar: CookieJar, forms: FormToSend[]) => Promise.all(forms.flatMap((form) => [jar.post(a.baseUrl, form), jar.post(b.baseUrl, form)]));
  /** One page of the same form from each server, as two browser tabs would have: two one-time keys. */
  async function formFromEach(jar: CookieJar, path: string, button: string, fields: Record<string, string | string[]> = {}): Promise<FormToSend[]> {
    const pages = await Promise.all([jar.get(a.baseUrl, path), jar.get(b.baseUrl, path)]);
    return pages.map((page) => formOn(page, button, fields));
  }
  /**
   * A duplicate's answer: the same success (a repeat of one key), the form again with a plain "There is a problem",
   * or another plain page that says why (`alsoPlain`).
   */
  function expectPlainAnswers(answers: Served[], success: string, alsoPlain: string[] = []) {
    for (const answer of answers) {
      expect([200, 400], `${answer.path}: ${answer.text.slice(0, 300)}`).toContain(answer.status);
      const isPlain = [success, "There is a problem", ...alsoPlain].some((words) => answer.text.includes(words));
      expect(isPlain, `${answer.path}: ${answer.text.slice(0, 600)}`).toBe(true);
    }
    expect(answers.filter((answer) => answer.text.includes(success)).length).toBeGreaterThan(0);
  }

  let groupId = "";
  let proposalId = "";
  let meetingId = "";
  let awardId = "";
  const applicant = () => jars.find((j) => j.who === APPLICANT_EMAIL)!;
  const office = () => jars.find((j) => j.who === admin.email)!;
  const auditCount = async (entityId: string, action: string) =>
    (await pg.db.selectFrom("audit_event").select("id").where("entity_id", "=", entityId).where("action", "=", action).execute()).length;

  beforeAll(async () => {
    pg = await createPostgresTestSchema(databaseUrl, "two_servers", { migrate: false });
    const env = { DATABASE_URL: pg.url, WEB_CONCURRENCY: "1", TWO_FACTOR_KEY };
    // Both at once on the empty schema: both migrate, both find it empty, and one writes the demo data.
    const started = await Promise.allSettled([startServer({ env, readyWithinMs: 300_000 }), startServer({ env, readyWithinMs: 300_000 })]);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      // One did not start (it stopped itself): stop the other too, rather than leave it running.
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
      throw failed.reason;
    }
    [a, b] = started.map((s) => (s as PromiseFulfilledResult<RunningServer>).value) as [RunningServer, RunningServer];
    groupId = (await pg.db.selectFrom("decision_group").select("id").where("name", "=", GROUP).executeTakeFirstOrThrow()).id;
  }, 320_000);

  afterAll(async () => {
    if (process.env.E2E_SERVER_LOG) for (const server of [a, b]) console.log(server?.log());
    await Promise.all([a?.stop(), b?.stop()]);
    await pg?.drop();
  });

  it("both servers started together on the empty database, and the demo data was written once", async () => {
    expect([a.log(), b.log()].filter((log) => log.includes("(new: demo data written)"))).toHaveLength(1);
    expect(await pg.db.selectFrom("user").select("id").where("email", "=", admin.email).execute()).toHaveLength(1);
    expect(await pg.db.selectFrom("decision_group").select("id").where("name", "=", GROUP).execute()).toHaveLength(1);
  });

  it("a session begun on server A is used on server B, and B accepts the form token from A's page", async () => {
    const jar = person(APPLICANT_EMAIL);
    const loginOnA = await jar.get(a.baseUrl, "/login");
    const home = await jar.post(b.baseUrl, formOn(loginOnA, "Sign in", { email: APPLICANT_EMAIL, password: DEMO_MEMBER_PASSWORD }));
    expect(home.status).toBe(200);
    expect(home.path).toBe("/applicant");
    expect(home.text).toContain("Signed in as Filwood Boxing Club");
    for (const server of [a.baseUrl, b.baseUrl]) expect((await jar.get(server, "/applicant")).text).toContain("Signed in as Filwood Boxing Club");
    const user = await pg.db.selectFrom("user").select("id").where("email", "=", APPLICANT_EMAIL).executeTakeFirstOrThrow();
    expect(await pg.db.selectFrom("session").select("id").where("user_id", "=", user.id).execute()).toHaveLength(1);
  });

  it("the applicant starts a proposal, fills in every part, adds a file on one server that downloads from the other, and sends it; four copies of the send, to both servers at once, send it once", async () => {
    const jar = applicant();
    const eligibility = await jar.get(next(), `/proposals/new?decisionGroupId=${groupId}`);
    const answers = Object.fromEntries([...radioGroupsOn(eligibility)].map(([name, values]) => [name, values[0]!]));
    const list = await jar.post(next(), formOn(eligibility, "Start the outline proposal", answers));
    expect(list.path).toMatch(/^\/proposals\/[^/]+\/edit$/);
    const editPath = list.path;
    proposalId = editPath.split("/")[2]!;
    const parts: [string, Record<string, string>][] = [
      [
        "About the project",
        {
          title: TITLE,
          summary: "A new roof for the boxing gym, so sessions can run all winter.",
          needType: "felt",
          needEvidence: "Eighty members asked for it at our open day.",
          whatBuilt: "A new insulated roof with skylights.",
        },
      ],
      ["Who benefits", { beneficiaries: "Young people in Filwood", beneficiaryCount: "80" }],
      ["Budget", { "budgetLines[0].item": "Roof", "budgetLines[0].cost": "60000", amountRequested: "60000" }],
      ["Dates", { "startDate-day": "1", "startDate-month": "5", "startDate-year": "2027", "endDate-day": "30", "endDate-month": "9", "endDate-year": "2027" }],
      ["Outcomes", { "outcomes[0].outcome": "80 young people train through the winter", "outcomes[0].measure": "The sign-in book" }],
    ];
    for (const [task, fields] of parts) {
      const [href] = linksOn(await jar.get(next(), editPath), task);
      const saved = await jar.post(next(), formOn(await jar.get(next(), href!), "Save and go back to the list", fields));
      expect(saved.path, `${task} saved`).toMatch(/\/edit\?saved=/);
    }
    expect((await jar.get(next(), editPath)).text).toContain("You have done 5 of 5 parts");

    // A file uploaded through server A downloads, byte for byte, through server B (the database store, 0054).
    const quote = Buffer.from("%PDF-1.4\n% A quote for the roof\n%%EOF\n");
    const filesPage = `/proposals/${proposalId}/attachments`;
    const uploaded = await jar.postFile(a.baseUrl, formOn(await jar.get(a.baseUrl, filesPage), "Upload file"), "file", new File([quote], "roof-quote.pdf"));
    expect(uploaded.text).toContain("Your file has been uploaded.");
    const [download] = linksOn(await jar.get(b.baseUrl, filesPage), "roof-quote.pdf");
    const served = await jar.download(b.baseUrl, download!);
    expect(served.status).toBe(200);
    expect(served.type).toContain("application/pdf");
    expect(served.bytes.equals(quote)).toBe(true);

    const answersToSend = await sendToBoth(jar, await formFromEach(jar, `/proposals/${proposalId}/check`, "Submit to lead organisation"));
    // A copy that arrives once it is sent is taken to the proposal's task list, which says it can no longer be changed.
    expectPlainAnswers(answersToSend, "Your proposal has been sent to the lead organisation.", ["You cannot change this proposal now"]);
    const row = await pg.db.selectFrom("proposal").select(["status", "version"]).where("id", "=", proposalId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "submitted", version: 1 });
    expect(await pg.db.selectFrom("proposal_version").select("id").where("proposal_id", "=", proposalId).execute()).toHaveLength(1);
    expect(await auditCount(proposalId, "proposal.status.submitted")).toBe(1);
    expect((await jar.get(next(), `/proposals/${proposalId}`)).text).toContain("Submitted to lead organisation");
  });

  it("the lead organisation supports it, on the other server from the one it read it on", async () => {
    const lead = person(LEAD_EMAIL);
    await signIn(lead, LEAD_EMAIL, DEMO_MEMBER_PASSWORD);
    const supported = await press(lead, `/lead/proposals/${proposalId}`, "Support", { statement: "We have known this club for years; the roof leaks." });
    expect(supported.text).toContain("Proposal supported.");
    expect((await pg.db.selectFrom("proposal").select("status").where("id", "=", proposalId).executeTakeFirstOrThrow()).status).toBe("supported");
    expect((await applicant().get(next(), `/proposals/${proposalId}`)).text).toContain("Supported by lead organisation");
  });

  it("the administrator signs in with a two-factor code on the other server, marks it eligible and opens it for the panel", async () => {
    const jar = person(admin.email);
    await signIn(jar, admin.email, admin.password);
    const eligible = await press(jar, `/admin/proposals/${proposalId}`, "Mark eligible");
    expect(eligible.text).toContain("Marked eligible");
    const opened = await press(jar, `/admin/groups/${groupId}/scoring`, "Open eligible proposals for review");
    expect(opened.text).toContain("1 proposal is now under panel review.");
    expect((await pg.db.selectFrom("proposal").select("status").where("id", "=", proposalId).executeTakeFirstOrThrow()).status).toBe("under_review");
  });

  it("each panel member scores it; each sends the score sheet four times to both servers at once, and one sheet is submitted", async () => {
    await Promise.all(PANEL.map((member) => signIn(person(member.email), member.email, DEMO_MEMBER_PASSWORD)));
    for (const member of PANEL) {
      const jar = jars.find((j) => j.who === member.email)!;
      const sheet = await jar.get(next(), `/panel/proposals/${proposalId}`);
      const marks = Object.fromEntries([...radioGroupsOn(sheet)].filter(([name]) => name.startsWith("mark-")).map(([name]) => [name, "4"]));
      expect(Object.keys(marks).length).toBeGreaterThan(0);
      const answers = await sendToBoth(jar, await formFromEach(jar, `/panel/proposals/${proposalId}`, "Submit scores", { ...marks, overall: "Well planned." }));
      expectPlainAnswers(answers, "Your scores have been submitted.");
    }
    const sheets = await pg.db.selectFrom("score_sheet").select(["id", "submitted_at"]).where("proposal_id", "=", proposalId).execute();
    expect(sheets).toHaveLength(PANEL.length);
    expect(sheets.every((s) => s.submitted_at)).toBe(true);
    for (const sheet of sheets) expect(await auditCount(sheet.id, "score_sheet.submitted")).toBe(1);
  }, 120_000);

  it("scoring closes; the chair opens a meeting and the vote; each member votes four times at once on both servers, and one vote each is counted", async () => {
    const closed = await press(office(), `/admin/groups/${groupId}/scoring`, "Close scoring for this group");
    expect(closed.text).toContain("Scoring is now closed for this decision group.");

    const chair = jars.find((j) => j.who === CHAIR_EMAIL)!;
    const meeting = await press(chair, "/panel/meetings", "Open meeting", { title: "Two servers meeting", heldOn: today });
    expect(meeting.path).toMatch(/^\/panel\/meetings\/[^/?]+$/);
    meetingId = meeting.path.split("/")[3]!;
    const attended = await chair.post(next(), formOn(meeting, "Save attendance", { present: valuesOn(meeting, "present") }));
    expect(attended.text).toContain("Attendance saved.");
    const votePath = `/panel/meetings/${meetingId}/proposals/${proposalId}`;
    expect((await press(chair, votePath, "Open the vote on this proposal")).text).toContain("The vote is open.");

    await Promise.all(
      PANEL.map(async (member) => {
        const jar = jars.find((j) => j.who === member.email)!;
        expectPlainAnswers(await sendToBoth(jar, await formFromEach(jar, votePath, "Cast my vote", { choice: "fund" })), "Your vote has been recorded.");
      }),
    );
    const item = await pg.db
      .selectFrom("vote_item")
      .select("id")
      .where("meeting_id", "=", meetingId)
      .where("proposal_id", "=", proposalId)
      .executeTakeFirstOrThrow();
    expect(await pg.db.selectFrom("vote").select("id").where("vote_item_id", "=", item.id).execute()).toHaveLength(PANEL.length);
    const counted = await press(chair, votePath, "Close the vote and count it");
    expect(counted.text).toContain("The vote is closed and counted.");
    expect(counted.text).toContain("Outcome: fund");
  });

  it("the administrator records the decision and makes the offer (four copies at once: one award); the group accepts; a payment sent six times at once is paid once", async () => {
    const jar = office();
    const decided = await press(jar, `/admin/groups/${groupId}/decisions?proposal=${proposalId}`, "Record decision and tell the group", {
      outcome: "funded",
      amount: "60000",
      reason: "A strong case, well costed, and the panel voted to fund it.",
      meetingId,
    });
    expect(decided.text).toContain("Decision recorded: funded.");

    const offers = await sendToBoth(jar, await formFromEach(jar, "/admin/awards", "Make offer"));
    for (const answer of offers) expect([200, 400]).toContain(answer.status);
    const made = offers.filter((answer) => answer.path.includes("?saved=created"));
    expect(made.length).toBeGreaterThan(0);
    for (const answer of offers.filter((o) => o.status === 400)) expect(answer.text).toMatch(/There is a problem This proposal already has an award/);
    const awards = await pg.db.selectFrom("award").select(["id", "status", "amount_pence"]).where("proposal_id", "=", proposalId).execute();
    expect(awards).toHaveLength(1);
    awardId = awards[0]!.id;
    expect(awards[0]).toMatchObject({ status: "offered", amount_pence: 6_000_000 });

    const accepted = await press(applicant(), `/awards/${awardId}`, "Accept the offer", { signatoryName: "Dee Signer", signatoryRole: "Chair" });
    expect(accepted.text).toContain("by Dee Signer (Chair)");

    const scheduled = await press(jar, `/admin/awards/${awardId}/payments`, "Save the schedule", {
      "instalments[0].amount": "20000",
      "instalments[0].dueOn": today,
      "instalments[0].releasedBy": "acceptance",
      "instalments[1].amount": "40000",
      "instalments[1].dueOn": "2027-06-01",
      "instalments[1].releasedBy": "conditions_met",
    });
    expect(scheduled.text).toContain("Schedule saved.");
    const [first] = await pg.db.selectFrom("payment_instalment").select("id").where("award_id", "=", awardId).orderBy("due_on").execute();
    const payment = formOn(scheduled, "Record payment", { instalmentId: first!.id, amount: "20000", paidOn: today, reference: "BACS-TWO-SERVERS-1" });
    const paid = await Promise.all([a, b, a, b, a, b].map((server) => jar.post(server.baseUrl, payment)));
    for (const answer of paid) {
      expect(answer.status).toBe(200);
      expect(answer.text).toMatch(/Paid £20,000 .*Remaining \(award less paid\) £40,000/);
    }
    const payments = await pg.db.selectFrom("payment").select(["amount_pence", "status", "reference"]).where("award_id", "=", awardId).execute();
    expect(payments).toEqual([{ amount_pence: 2_000_000, status: "paid", reference: "BACS-TWO-SERVERS-1" }]);
  });

  it(`wrong passwords split between the servers lock the account after ${MAX_FAILURES}, as on one server`, async () => {
    const jar = person(THROTTLED_EMAIL);
    const attempt = async (server: string, password: string) => {
      const page = await jar.get(server, "/login");
      return (await jar.post(server, formOn(page, "Sign in", { email: THROTTLED_EMAIL, password }))).text;
    };
    // Six one after another, alternating servers, then eight at once, four on each: the limit falls among those eight.
    const oneByOne: string[] = [];
    for (let i = 0; i < MAX_FAILURES - 4; i += 1) oneByOne.push(await attempt(next(), `wrong-password-${i}`));
    const atOnce = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(i % 2 ? a.baseUrl : b.baseUrl, `wrong-at-once-${i}`)));
    for (const text of oneByOne) expect(text).toContain(SIGN_IN_FAILED);
    // Exactly the limit was checked, counted across both servers; the rest were refused unchecked.
    expect(atOnce.filter((text) => text.includes(SIGN_IN_FAILED))).toHaveLength(4);
    expect(atOnce.filter((text) => text.includes(SIGN_IN_THROTTLED))).toHaveLength(4);
    expect(await pg.db.selectFrom("login_attempt").select("id").where("email", "=", THROTTLED_EMAIL).execute()).toHaveLength(MAX_FAILURES);
    // Locked on both servers now, even with the right password.
    for (const server of [a.baseUrl, b.baseUrl]) expect(await attempt(server, DEMO_MEMBER_PASSWORD)).toContain(SIGN_IN_THROTTLED);
    expect(
      await pg.db
        .selectFrom("session")
        .innerJoin("user", "user.id", "session.user_id")
        .select("session.id")
        .where("user.email", "=", THROTTLED_EMAIL)
        .execute(),
    ).toHaveLength(0);
  }, 120_000);

  it("the audit chain is intact, no answer was a server error, and neither server logged an error", async () => {
    const status = await verifyAuditChain(pg.db);
    expect(status.ok, JSON.stringify(status)).toBe(true);
    const failures = jars.flatMap((jar) => jar.statuses.filter((s) => s.status >= 500).map((s) => `${jar.who} ${s.method} ${s.server}${s.path}: ${s.status}`));
    expect(failures).toEqual([]);
    expect(jars.reduce((n, jar) => n + jar.statuses.length, 0)).toBeGreaterThan(100);
    for (const server of [a, b]) expect(server.log()).not.toMatch(/\berror\b|unhandled|exception/i);
  });
});
