import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { hashBallotRules, parseBallotRules } from "~/domain/ballot-rules";
import { action as fundEditAction } from "~/routes/admin.funds.$fundId._index";
import { action as setupAction, loader as setupLoader } from "~/routes/admin.funds.$fundId.ballot";
import { loader as rulesLoader } from "~/routes/funds.$fundId.ballot-rules[.]json";
import { loader as publicFundLoader } from "~/routes/funds.$fundId._index";
import { RULES_FROZEN, saveBallotSetup } from "~/services/community-ballots.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeFund, makeUser } from "../factories";
import { approvalSetup, approvalSetupFields, makeBallotFund } from "../support/community-ballot";
import { auditTrailOf } from "../support/funds";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

let adminCookie: string;
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await sessionCookieFor(admin.id);
});

const post = async (fundId: string, fields: Record<string, string>) =>
  runAction(setupAction, await postForm(`/admin/funds/${fundId}/ballot`, fields, { cookie: adminCookie }), { fundId });

/** The set-up form sent as a browser sends it with a file chosen. */
async function postWithFile(fundId: string, fields: Record<string, string>, file: { text: string; name: string; type?: string }) {
  const { token, cookie } = await csrfFor();
  const form = new FormData();
  form.append("csrf", token);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("postcodeFile", new File([file.text], file.name, { type: file.type ?? "text/csv" }));
  const request = new Request(`${ORIGIN}/admin/funds/${fundId}/ballot`, {
    method: "POST",
    body: form,
    headers: { Origin: ORIGIN, Cookie: `${cookie}; ${adminCookie}` },
  });
  return runAction(setupAction, request, { fundId });
}

const ballotOf = (fundId: string) => getDb().selectFrom("community_ballot").selectAll().where("fund_id", "=", fundId).executeTakeFirst();
const postcodesOf = async (ballotId: string) =>
  (await getDb().selectFrom("community_ballot_postcode").select("postcode").where("ballot_id", "=", ballotId).orderBy("postcode").execute()).map(
    (r) => r.postcode,
  );

describe("setting up a community ballot", () => {
  it("the administrator saves an approval ballot: the row, the prefixes and an audit event", async () => {
    const { fundId } = await makeBallotFund();
    const response = await post(fundId, approvalSetupFields({ prefixes: "bs5, BS2 9", minAge: "16" }));
    expect(response.status, await response.clone().text()).toBe(302);
    const ballot = (await ballotOf(fundId))!;
    expect(ballot).toMatchObject({ kind: "approval", max_choices: 2, counting_rule: "equal-shares", min_age: 16, opened_at: null, rules_hash: null });
    expect(JSON.parse(ballot.postcode_prefixes)).toEqual(["BS2 9", "BS5"]);
    const trail = await auditTrailOf("community_ballot", ballot.id);
    expect(trail.map((e) => e.action)).toEqual(["community_ballot.created"]);
    expect(trail[0]!.actor).toBe(admin.id);
  });

  it("a postcode list uploaded as a CSV file is normalised and stored", async () => {
    const { fundId } = await makeBallotFund();
    const response = await postWithFile(fundId, approvalSetupFields({ prefixes: "" }), {
      text: "postcode\r\nbs5 0ab\r\nBS50AB\r\nBS2 9TG\r\n",
      name: "area.csv",
    });
    expect(response.status, await response.clone().text()).toBe(302);
    expect(await postcodesOf((await ballotOf(fundId))!.id)).toEqual(["BS2 9TG", "BS5 0AB"]);
  });

  it("a list over 1 MB is refused with 413 and a plain message; nothing is saved", async () => {
    const { fundId } = await makeBallotFund();
    const big = "BS5 0AB\n".repeat(140_000);
    const response = await postWithFile(fundId, approvalSetupFields(), { text: big, name: "area.csv" });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.postcodeFile).toMatch(/bigger than 1 MB/);
    expect(await ballotOf(fundId)).toBeUndefined();
  });

  it("a file that is not text is refused with 400, the input kept", async () => {
    const { fundId } = await makeBallotFund();
    const response = await postWithFile(fundId, approvalSetupFields({ tieRule: "Kept tie rule" }), {
      text: "\u0000\u0001PK",
      name: "area.xlsx",
      type: "application/octet-stream",
    });
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.postcodeFile).toMatch(/not a CSV or text file/);
    expect(data.values.tieRule).toBe("Kept tie rule");
  });

  it.each([
    ["no tie rule", { tieRule: " " }, "tieRule", "Choose how a tie is broken"],
    ["an approval ballot without its limit", { maxChoices: "" }, "maxChoices", "Enter how many projects each person may choose"],
    ["closing before opening", { closesAt: "2020-01-01T09:00" }, "closesAt", "The vote must close after it opens"],
    ["a time that is not real", { opensAt: "2027-02-30T09:00" }, "opensAt", "Enter when the vote opens as a real date and time, like 2027-03-01 09:00"],
    [
      "a points ballot needing more projects than points",
      { kind: "points", pointsTotal: "3", pointsMinProjects: "5" },
      "pointsMinProjects",
      "The fewest projects must be the same as or less than the number of points",
    ],
    ["a budget ballot without a budget", { kind: "knapsack", budget: "" }, "budget", "Enter the budget each person fills"],
    ["no area", { prefixes: "" }, "postcodes", "Upload the area's postcode list, or enter the postcode beginnings people must live in"],
    [
      "a list with lines that are not postcodes",
      { postcodes: "BS5 0AB\nnot a postcode" },
      "postcodes",
      '1 line is not a postcode, like "not a postcode". Fix or remove them and send the list again.',
    ],
  ] as [string, Record<string, string>, string, string][])(
    "%s is a 400 with the message on its field and the input kept; nothing saved",
    async (_what, overrides, field, message) => {
      const { fundId } = await makeBallotFund();
      const response = await post(fundId, approvalSetupFields({ ...overrides, tieRule: overrides.tieRule ?? "cheaper-then-more-votes-then-reference" }));
      expect(response.status).toBe(400);
      const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
      expect(data.errors[field]).toBe(message);
      expect(data.values.kind).toBe(overrides.kind ?? "approval");
      expect(await ballotOf(fundId)).toBeUndefined();
    },
  );

  it("a fund decided by a panel only has no ballot: refused with a plain message", async () => {
    const fund = await makeFund();
    const response = await post(fund.id, approvalSetupFields());
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.form).toMatch(/decided by a panel only/);
  });
});

describe("opening the ballot freezes its rules", () => {
  it("opening writes the canonical JSON and its SHA-256, fixes the projects, is audited, and the public page shows the hash", async () => {
    const { fundId, proposals } = await makeBallotFund();
    expect((await post(fundId, approvalSetupFields())).status).toBe(302);
    const response = await post(fundId, { intent: "open" });
    expect(response.status, await response.clone().text()).toBe(302);
    const ballot = (await ballotOf(fundId))!;
    expect(ballot.opened_at).not.toBeNull();
    expect(ballot.rules_hash).toBe(createHash("sha256").update(ballot.rules_json!).digest("hex"));
    // The one rules model (ballot-rules.ts): what the counting rules and the pabulib writer read.
    const rules = parseBallotRules(ballot.rules_json!);
    expect(rules).toMatchObject({ ballot: { kind: "approval", maxProjects: 2 }, counting: "equal-shares", tieRule: "cheaper-then-more-votes-then-reference" });
    expect(hashBallotRules(rules)).toBe(ballot.rules_hash);
    expect(rules.projects!.map((p) => p.costPence).sort()).toEqual([1_000_000, 2_000_000, 3_000_000]);
    const projects = await getDb().selectFrom("community_ballot_project").select("proposal_id").where("ballot_id", "=", ballot.id).execute();
    expect(projects.map((p) => p.proposal_id).sort()).toEqual(proposals.map((p) => p.id).sort());
    const opened = (await auditTrailOf("community_ballot", ballot.id)).find((e) => e.action === "community_ballot.opened")!;
    expect(JSON.parse(opened.after!)).toMatchObject({ rules_hash: ballot.rules_hash });

    const page = (await (await runLoader(publicFundLoader, getRequest(`/funds/${fundId}`), { fundId })).json()) as {
      vote: { rulesHash: string; phase: string };
    };
    expect(page.vote).toMatchObject({ rulesHash: ballot.rules_hash, phase: "open" });
    const file = await runLoader(rulesLoader, getRequest(`/funds/${fundId}/ballot-rules.json`), { fundId });
    const text = await file.text();
    expect(text).toBe(ballot.rules_json);
    expect(createHash("sha256").update(text).digest("hex")).toBe(ballot.rules_hash);
  });

  it("before opening, the rules file is a 404", async () => {
    const { fundId } = await makeBallotFund();
    expect((await runLoader(rulesLoader, getRequest(`/funds/${fundId}/ballot-rules.json`), { fundId })).status).toBe(404);
  });

  it("once opened nothing about the rules can change: the form and the service refuse in plain English, and the row stays the same", async () => {
    const { fundId } = await makeBallotFund();
    await post(fundId, approvalSetupFields());
    await post(fundId, { intent: "open" });
    const before = await ballotOf(fundId);
    const response = await post(fundId, approvalSetupFields({ maxChoices: "3", countingRule: "greedy" }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.form).toBe(RULES_FROZEN);
    await expect(saveBallotSetup(getDb(), actorOf(admin), fundId, approvalSetup({ maxChoices: 1 }))).rejects.toThrow(RULES_FROZEN);
    expect(await ballotOf(fundId)).toEqual(before);
    const again = await post(fundId, { intent: "open" });
    expect(again.status).toBe(400);
    expect(await ballotOf(fundId)).toEqual(before);
  });

  it("once opened, who decides cannot change either", async () => {
    const { fundId } = await makeBallotFund();
    await post(fundId, approvalSetupFields());
    await post(fundId, { intent: "open" });
    const response = await runAction(
      fundEditAction,
      await postForm(
        `/admin/funds/${fundId}`,
        { name: "Kept", purpose: "P", type: "capital", budget: "1000000", isPublished: "no", decisionMethod: "panel" },
        { cookie: adminCookie },
      ),
      { fundId },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.decisionMethod).toMatch(/cannot change now/);
    expect((await getDb().selectFrom("fund").select("decision_method").where("id", "=", fundId).executeTakeFirstOrThrow()).decision_method).toBe("ballot");
  });

  it("a ballot with no eligible proposals does not open", async () => {
    const { fundId, proposals } = await makeBallotFund();
    await getDb()
      .updateTable("proposal")
      .set({ status: "draft" })
      .where(
        "id",
        "in",
        proposals.map((p) => p.id),
      )
      .execute();
    await post(fundId, approvalSetupFields());
    const response = await post(fundId, { intent: "open" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors.form).toMatch(/No proposals are ready/);
    expect((await ballotOf(fundId))!.opened_at).toBeNull();
  });

  it("the set-up page shows the rules and projects, and nothing about how anyone voted", async () => {
    const { fundId } = await makeBallotFund();
    await post(fundId, approvalSetupFields());
    await post(fundId, { intent: "open" });
    const data = (await (await runLoader(setupLoader, getRequest(`/admin/funds/${fundId}/ballot`, { cookie: adminCookie }), { fundId })).json()) as {
      projects: unknown[];
      phase: string;
    };
    expect(data.phase).toBe("open");
    expect(data.projects).toHaveLength(3);
  });
});
