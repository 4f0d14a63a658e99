import { describe, expect, it } from "vitest";
import { action as editAction, loader as editLoader } from "~/routes/admin.funds.$fundId._index";
import { loader as listLoader } from "~/routes/admin.funds._index";
import { action as newAction } from "~/routes/admin.funds.new";
import { getDb } from "~/utils/db.server";
import { makeDecisionGroup, makeFund } from "../factories";
import { auditCount, auditTrailOf, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader } from "../support/http";

const validFund = {
  name: "Community Resilience Fund",
  purpose: "Capital grants for community buildings in the most deprived 30% of the city.",
  type: "capital",
  budget: "£4,000,000",
  opensOn: "2026-07-01",
  closesOn: "2026-10-31",
  reviewOn: "2027-01-09",
  decisionsOn: "2027-05-01",
  awardsOn: "2027-06-01",
  isPublished: "yes",
};

const fundRow = (id: string) => getDb().selectFrom("fund").selectAll().where("id", "=", id).executeTakeFirst();

describe("creating a fund", () => {
  it("an administrator creates a fund: the row is written in pence with its phases, and audited", async () => {
    const { user, cookie } = await signedIn("admin");
    const response = await runAction(newAction, await postForm("/admin/funds/new", validFund, { cookie }));
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/admin\/funds\/[0-9a-f-]+\?done=created$/);
    const id = location.split("/")[3]!.split("?")[0]!;
    expect(await fundRow(id)).toMatchObject({
      name: validFund.name,
      type: "capital",
      budget_pence: 400_000_000,
      is_published: 1,
      opens_on: "2026-07-01",
      awards_on: "2027-06-01",
    });
    const trail = await auditTrailOf("fund", id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: "fund.created", actor: user.id });
    expect(JSON.parse(trail[0]!.after!)).toMatchObject({ budget_pence: 400_000_000 });
  });

  it("a fund may be saved unpublished without dates", async () => {
    const { cookie } = await signedIn("admin");
    const { opensOn: _o, closesOn: _c, reviewOn: _r, decisionsOn: _d, awardsOn: _a, ...noDates } = validFund;
    const response = await runAction(newAction, await postForm("/admin/funds/new", { ...noDates, isPublished: "no" }, { cookie }));
    expect(response.status).toBe(302);
  });

  it.each([
    ["a missing name", { name: "  " }, "name", "Enter the fund's name"],
    ["a budget of abc", { budget: "abc" }, "budget", "Enter the total budget as an amount of money, like 50000 or £50,000.00"],
    ["a negative budget", { budget: "-500" }, "budget", "The total budget must be more than £0"],
    [
      "proposals closing before they open",
      { closesOn: "2026-06-01" },
      "closesOn",
      "The date proposals close must be the same as or after the date proposals open",
    ],
    [
      "decisions before review",
      { decisionsOn: "2027-01-01" },
      "decisionsOn",
      "The date decisions are made must be the same as or after the date panel review starts",
    ],
    ["a published fund with no awards date", { awardsOn: "" }, "awardsOn", "Enter the date awards are made before you publish the fund"],
    ["no type", { type: "" }, "type", "Choose whether the fund is capital or revenue"],
  ])("%s is refused with 400, a plain message on the field and what was typed kept", async (_label, change, field, message) => {
    const { cookie } = await signedIn("admin");
    const before = await auditCount();
    const response = await runAction(newAction, await postForm("/admin/funds/new", { ...validFund, ...change }, { cookie }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[field]).toBe(message);
    expect(body.values).toMatchObject({ ...validFund, ...change });
    expect(await auditCount()).toBe(before);
  });
});

describe("changing a fund", () => {
  it("an administrator changes the details and phases; the audit event has before and after", async () => {
    const { user, cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 100_000_000 });
    const response = await runAction(
      editAction,
      await postForm(`/admin/funds/${fund.id}`, { ...validFund, name: "Renamed fund", budget: "1500000.50", isPublished: "no" }, { cookie }),
      { fundId: fund.id },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/funds/${fund.id}?done=saved`);
    expect(await fundRow(fund.id)).toMatchObject({ name: "Renamed fund", budget_pence: 150_000_050, is_published: 0, review_on: "2027-01-09" });
    const [event] = await auditTrailOf("fund", fund.id);
    expect(event).toMatchObject({ action: "fund.updated", actor: user.id });
    expect(JSON.parse(event!.before!)).toMatchObject({ name: fund.name, budget_pence: 100_000_000 });
    expect(JSON.parse(event!.after!)).toMatchObject({ name: "Renamed fund", budget_pence: 150_000_050 });
  });

  it("the budget cannot be lowered below the sum of the decision groups' pots, and the message says by how much", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 200_000_000 });
    await makeDecisionGroup({ fundId: fund.id }); // pot £500,000
    await makeDecisionGroup({ fundId: fund.id }); // pot £500,000
    const response = await runAction(editAction, await postForm(`/admin/funds/${fund.id}`, { ...validFund, budget: "900000" }, { cookie }), {
      fundId: fund.id,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.budget).toBe(
      "The total budget must be at least £1,000,000, the sum of the decision groups' pots. It is £100,000 too low: lower the pots first, or raise the budget",
    );
    expect(body.values.budget).toBe("900000");
    expect((await fundRow(fund.id))?.budget_pence).toBe(200_000_000);
  });

  it("the edit page shows the fund with its money in pounds and what is allocated", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund({ budgetPence: 200_000_000 });
    await makeDecisionGroup({ fundId: fund.id });
    const response = await runLoader(editLoader, getRequest(`/admin/funds/${fund.id}`, { cookie }), { fundId: fund.id });
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.fund.budget_pence).toBe(200_000_000);
    expect(data.allocated).toBe(50_000_000);
    expect(data.parts).toEqual({ questions: 0, criteria: 0, groups: 1 });
  });

  it("a fund that does not exist is 404 on the page and its form", async () => {
    const { cookie } = await signedIn("admin");
    const params = { fundId: "no-such-fund" };
    expect((await runLoader(editLoader, getRequest("/admin/funds/no-such-fund", { cookie }), params)).status).toBe(404);
    expect((await runAction(editAction, await postForm("/admin/funds/no-such-fund", validFund, { cookie }), params)).status).toBe(404);
  });
});

describe("the list of funds", () => {
  it("shows each fund's budget, what is allocated to pots and whether it is published", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund({ name: "Listed fund", budgetPence: 300_000_000 });
    await makeDecisionGroup({ fundId: fund.id });
    await makeDecisionGroup({ fundId: fund.id });
    const response = await runLoader(listLoader, getRequest("/admin/funds", { cookie }));
    expect(response.status).toBe(200);
    const { funds } = await response.json();
    expect(funds.rows.find((f: { id: string }) => f.id === fund.id)).toMatchObject({
      name: "Listed fund",
      budget_pence: 300_000_000,
      allocated_pence: 100_000_000,
      group_count: 2,
      is_published: 1,
    });
  });
});
