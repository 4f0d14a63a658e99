import { describe, expect, it } from "vitest";
import { action as checkAction, loader as checkLoader } from "~/routes/proposals.$proposalId.check";
import { loader as taskListLoader } from "~/routes/proposals.$proposalId.edit";
import { action as sectionAction, loader as sectionLoader } from "~/routes/proposals.$proposalId.sections.$section";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, makeDecisionGroup, makeFund, makeOrganisation, makeProposal, makeUser, setFundDates } from "../factories";
import { getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

// Issue 10, item 6: the outline form as a GOV.UK task list. Each section is its own page and saves on its own.

async function emptyDraft() {
  const lead = await makeOrganisation({ kind: "lead_org" });
  const fund = await makeFund();
  const group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id });
  const org = await makeOrganisation();
  const applicant = await makeUser({ organisationId: org.id });
  const proposal = await makeProposal({ decisionGroupId: group.id, organisationId: org.id, createdBy: applicant.id, isEmpty: true });
  return { fund, group, lead, org, proposal, cookie: await sessionCookieFor(applicant.id) };
}

const row = (id: string) => getDb().selectFrom("proposal").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function saveSection(id: string, cookie: string, section: string, fields: Record<string, string>) {
  return runAction(sectionAction, await postForm(`/proposals/${id}/sections/${section}`, fields, { cookie }), { proposalId: id, section });
}

async function taskList(id: string, cookie: string) {
  return (await runLoader(taskListLoader, getRequest(`/proposals/${id}/edit`, { cookie }), { proposalId: id })).json();
}

const statusOf = (page: { sections: { id: string; status: string }[] }, id: string) => page.sections.find((s) => s.id === id)!.status;

const words = (n: number) => Array.from({ length: n }, () => "word").join(" ");

const ABOUT = {
  intent: "save",
  title: "Repair café",
  summary: "A place where neighbours fix things together.",
  needType: "felt",
  needEvidence: "Eighty people asked for it at our fair.",
  whatBuilt: "A workshop with benches and tools.",
};

describe("each section saves on its own", () => {
  it("a section saves while another section has a problem, and the task list shows each one's status", async () => {
    const d = await emptyDraft();
    const first = await taskList(d.proposal.id, d.cookie);
    expect(first.sections.map((s: { status: string }) => s.status)).toEqual(["not_started", "not_started", "not_started", "not_started", "not_started"]);

    // The budget has a bad cost: that section says so, on its own page, and keeps what was typed.
    const budget = await saveSection(d.proposal.id, d.cookie, "budget", {
      intent: "save",
      "budgetLines[0].item": "Benches",
      "budgetLines[0].cost": "lots",
      amountRequested: "20000",
    });
    expect(budget.status).toBe(400);
    const body = await budget.json();
    expect(body.errors).toEqual({ "budgetLines[0].cost": "Enter the cost of budget line 1 in pounds, like 1250 or 1250.50" });
    expect(body.values).toMatchObject({ "budgetLines[0].item": "Benches", "budgetLines[0].cost": "lots" });
    // The amount on the same page was right, so it was saved; the bad line was not.
    expect(await row(d.proposal.id)).toMatchObject({ amount_requested_pence: 2_000_000, budget_lines: "[]" });

    // Another section still saves, and goes back to the task list.
    const about = await saveSection(d.proposal.id, d.cookie, "about", ABOUT);
    expect(about.status).toBe(302);
    expect(about.headers.get("Location")).toBe(`/proposals/${d.proposal.id}/edit?saved=about`);
    expect(await row(d.proposal.id)).toMatchObject({ title: "Repair café", need_type: "felt", what_built: "A workshop with benches and tools." });
    const saves = await auditEventsFor("proposal.draft_saved");
    expect(saves.filter((e) => e.entity_id === d.proposal.id)).toHaveLength(2);

    const page = await taskList(d.proposal.id, d.cookie);
    expect(statusOf(page, "about")).toBe("completed");
    expect(statusOf(page, "budget")).toBe("in_progress");
    expect(statusOf(page, "benefits")).toBe("not_started");
  });

  it("a summary over the word limit is kept, and the message counts the words too many on the server", async () => {
    const d = await emptyDraft();
    const response = await saveSection(d.proposal.id, d.cookie, "about", { ...ABOUT, summary: words(160) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ summary: "The summary must be 150 words or fewer. You have 10 words too many" });
    expect(body.savedSome).toBe(true);
    const saved = await row(d.proposal.id);
    expect(saved.summary.split(" ")).toHaveLength(160);
    expect(saved.title).toBe("Repair café");
    expect(statusOf(await taskList(d.proposal.id, d.cookie), "about")).toBe("in_progress");
  });

  it("a field the page did not send is left as it was saved", async () => {
    const d = await emptyDraft();
    await saveSection(d.proposal.id, d.cookie, "about", ABOUT);
    const response = await saveSection(d.proposal.id, d.cookie, "about", { intent: "save", title: "Repair café and tool library" });
    expect(response.status).toBe(302);
    expect(await row(d.proposal.id)).toMatchObject({ title: "Repair café and tool library", summary: ABOUT.summary });
  });

  it("an unknown section is a 404", async () => {
    const d = await emptyDraft();
    const response = await runLoader(sectionLoader, getRequest(`/proposals/${d.proposal.id}/sections/secrets`, { cookie: d.cookie }), {
      proposalId: d.proposal.id,
      section: "secrets",
    }).catch((r: Response) => r);
    expect(response.status).toBe(404);
  });
});

describe("add another row, without JavaScript", () => {
  it("'add another budget line' saves and comes back with one more empty row; 'remove' takes that row out", async () => {
    const d = await emptyDraft();
    const add = await saveSection(d.proposal.id, d.cookie, "budget", {
      intent: "add-row",
      "budgetLines[0].item": "Benches",
      "budgetLines[0].cost": "1,500",
      amountRequested: "",
      leastPence: "",
    });
    expect(add.status).toBe(302);
    expect(add.headers.get("Location")).toBe(`/proposals/${d.proposal.id}/sections/budget?rows=2#budgetLines[1].item`);
    expect(JSON.parse((await row(d.proposal.id)).budget_lines)).toEqual([{ item: "Benches", costPence: 150_000 }]);

    const page = await (
      await runLoader(sectionLoader, getRequest(`/proposals/${d.proposal.id}/sections/budget?rows=2`, { cookie: d.cookie }), {
        proposalId: d.proposal.id,
        section: "budget",
      })
    ).json();
    expect(page.rows).toBe(2);
    expect(page.values["budgetLines[0].item"]).toBe("Benches");
    expect(page.values["budgetLines[1].item"]).toBeUndefined();

    const two = await saveSection(d.proposal.id, d.cookie, "budget", {
      intent: "add-row",
      "budgetLines[0].item": "Benches",
      "budgetLines[0].cost": "1500",
      "budgetLines[1].item": "Tools",
      "budgetLines[1].cost": "900.50",
    });
    expect(two.headers.get("Location")).toBe(`/proposals/${d.proposal.id}/sections/budget?rows=3#budgetLines[2].item`);

    const remove = await saveSection(d.proposal.id, d.cookie, "budget", {
      intent: "remove-row-0",
      "budgetLines[0].item": "Benches",
      "budgetLines[0].cost": "1500",
      "budgetLines[1].item": "Tools",
      "budgetLines[1].cost": "900.50",
      "budgetLines[2].item": "",
      "budgetLines[2].cost": "",
    });
    expect(remove.status).toBe(302);
    expect(remove.headers.get("Location")).toBe(`/proposals/${d.proposal.id}/sections/budget?rows=1`);
    expect(JSON.parse((await row(d.proposal.id)).budget_lines)).toEqual([{ item: "Tools", costPence: 90_050 }]);

    const last = await saveSection(d.proposal.id, d.cookie, "budget", {
      intent: "remove-row-0",
      "budgetLines[0].item": "Tools",
      "budgetLines[0].cost": "900.50",
    });
    expect(last.status).toBe(302);
    expect(JSON.parse((await row(d.proposal.id)).budget_lines)).toEqual([]);
  });

  it("outcomes add and remove the same way, and a row missing its measure is named", async () => {
    const d = await emptyDraft();
    const add = await saveSection(d.proposal.id, d.cookie, "outcomes", {
      intent: "add-row",
      "outcomes[0].outcome": "More repairs",
      "outcomes[0].measure": "Count of things fixed",
    });
    expect(add.headers.get("Location")).toBe(`/proposals/${d.proposal.id}/sections/outcomes?rows=2#outcomes[1].outcome`);
    const bad = await saveSection(d.proposal.id, d.cookie, "outcomes", {
      intent: "add-row",
      "outcomes[0].outcome": "More repairs",
      "outcomes[0].measure": "Count of things fixed",
      "outcomes[1].outcome": "Less waste",
      "outcomes[1].measure": "",
    });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.errors).toEqual({ "outcomes[1].measure": "Say how you will measure outcome 2" });
    expect(body.rows).toBe(3);
    expect(JSON.parse((await row(d.proposal.id)).outcomes)).toEqual([{ outcome: "More repairs", measure: "Count of things fixed" }]);
  });
});

describe("day, month and year boxes for dates", () => {
  const dates = (start: [string, string, string], end: [string, string, string] = ["", "", ""]) => ({
    intent: "save",
    "startDate-day": start[0],
    "startDate-month": start[1],
    "startDate-year": start[2],
    "endDate-day": end[0],
    "endDate-month": end[1],
    "endDate-year": end[2],
  });

  it.each([
    [["1", "", "2027"], "The start date must include a month"],
    [["", "", "2027"], "The start date must include a day and a month"],
    [["31", "2", "2027"], "The start date must be a real date"],
    [["1", "May", "2027"], "The start date must be a real date"],
    [["1", "5", "27"], "The year of the start date must have 4 numbers, like 2027"],
  ] as [[string, string, string], string][])("%j is refused with '%s', the boxes kept", async (start, message) => {
    const d = await emptyDraft();
    const response = await saveSection(d.proposal.id, d.cookie, "dates", dates(start));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ startDate: message });
    expect(body.values["startDate-month"]).toBe(start[1]);
    expect((await row(d.proposal.id)).start_date).toBeNull();
  });

  it("a real date is saved as the date; an end before the start is refused on the end date only", async () => {
    const d = await emptyDraft();
    const response = await saveSection(d.proposal.id, d.cookie, "dates", dates(["1", "4", "2027"], ["31", "3", "2027"]));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ endDate: "The end date must be the same as or after the start date" });
    expect(await row(d.proposal.id)).toMatchObject({ start_date: "2027-04-01", end_date: null });

    const ok = await saveSection(d.proposal.id, d.cookie, "dates", dates(["01", "04", "2027"], ["30", "9", "2027"]));
    expect(ok.status).toBe(302);
    expect(await row(d.proposal.id)).toMatchObject({ start_date: "2027-04-01", end_date: "2027-09-30" });
    const page = await (
      await runLoader(sectionLoader, getRequest(`/proposals/${d.proposal.id}/sections/dates`, { cookie: d.cookie }), {
        proposalId: d.proposal.id,
        section: "dates",
      })
    ).json();
    expect(page.values).toMatchObject({ "startDate-day": "1", "startDate-month": "4", "startDate-year": "2027", "endDate-day": "30" });
  });

  it("a start before the fund makes its decisions is refused, naming the date", async () => {
    const d = await emptyDraft();
    await setFundDates(d.fund.id, { decisions_on: "2027-05-12" });
    const response = await saveSection(d.proposal.id, d.cookie, "dates", dates(["1", "5", "2027"]));
    expect(response.status).toBe(400);
    expect((await response.json()).errors.startDate).toBe("The start date must be on or after 12 May 2027, when the fund makes its decisions");
  });
});

describe("the least the group could accept", () => {
  it.each([
    ["-5000", "The least you could accept cannot be less than £0"],
    ["lots", "Enter the least you could accept in pounds, like 40000 or 40000.50"],
    ["50000.01", "The least you could accept must not be more than the amount you ask for, £50,000"],
    ["5000", "The least you could accept must be at least £10,000, the smallest grant"],
    ["40000.505", "Enter the least you could accept in pounds, like 40000 or 40000.50"],
  ])("%s is refused: %s", async (least, message) => {
    const d = await emptyDraft();
    const response = await saveSection(d.proposal.id, d.cookie, "budget", { intent: "save", amountRequested: "50000", leastPence: least });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ leastPence: message });
    expect(await row(d.proposal.id)).toMatchObject({ amount_requested_pence: 5_000_000, part_funding_floor_pence: null });
  });

  it("pounds and pence are saved as whole pence, shown on 'check your answers', and an empty box means the full amount", async () => {
    const d = await emptyDraft();
    const response = await saveSection(d.proposal.id, d.cookie, "budget", { intent: "save", amountRequested: "£50,000", leastPence: "£40,000.50" });
    expect(response.status).toBe(302);
    expect((await row(d.proposal.id)).part_funding_floor_pence).toBe(4_000_050);
    const check = await (
      await runLoader(checkLoader, getRequest(`/proposals/${d.proposal.id}/check`, { cookie: d.cookie }), { proposalId: d.proposal.id })
    ).json();
    const budget = check.sections.find((s: { id: string }) => s.id === "budget");
    expect(budget.rows.find((r: { key: string }) => r.key === "least").value).toEqual(["£40,000.50"]);

    await saveSection(d.proposal.id, d.cookie, "budget", { intent: "save", amountRequested: "50000", leastPence: "" });
    expect((await row(d.proposal.id)).part_funding_floor_pence).toBeNull();
  });
});

describe("check your answers, then send", () => {
  const submit = async (id: string, cookie: string, fields: Record<string, string> = {}) =>
    runAction(checkAction, await postForm(`/proposals/${id}/check`, { intent: "submit", ...fields }, { cookie }), { proposalId: id });

  it("lists what is missing, each linked to its section; once every section is done it sends the proposal", async () => {
    const d = await emptyDraft();
    await saveSection(d.proposal.id, d.cookie, "about", ABOUT);
    const refused = await submit(d.proposal.id, d.cookie);
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.errors.form).toBe("You cannot send it yet. Finish these parts first:");
    expect(body.sections).toEqual({ beneficiaries: "benefits", budget: "budget", amountRequested: "budget", startDate: "dates", outcomes: "outcomes" });
    expect(body.errors.title).toBeUndefined();
    expect((await row(d.proposal.id)).status).toBe("draft");

    await saveSection(d.proposal.id, d.cookie, "benefits", { intent: "save", beneficiaries: "Neighbours in Barton Hill", beneficiaryCount: "80" });
    await saveSection(d.proposal.id, d.cookie, "budget", {
      intent: "save",
      "budgetLines[0].item": "Workshop",
      "budgetLines[0].cost": "45000",
      amountRequested: "45000",
      leastPence: "30000",
    });
    await saveSection(d.proposal.id, d.cookie, "dates", {
      intent: "save",
      "startDate-day": "1",
      "startDate-month": "5",
      "startDate-year": "2027",
      "endDate-day": "30",
      "endDate-month": "9",
      "endDate-year": "2027",
    });
    await saveSection(d.proposal.id, d.cookie, "outcomes", {
      intent: "save",
      "outcomes[0].outcome": "80 people fix things",
      "outcomes[0].measure": "A sign-in book",
    });
    const page = await taskList(d.proposal.id, d.cookie);
    expect(page.sections.every((s: { status: string }) => s.status === "completed")).toBe(true);

    const sent = await submit(d.proposal.id, d.cookie);
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`/proposals/${d.proposal.id}?submitted=1`);
    expect(await row(d.proposal.id)).toMatchObject({ status: "submitted", version: 1, part_funding_floor_pence: 3_000_000 });
    const notices = await getDb().selectFrom("notification").select("organisation_id").where("proposal_id", "=", d.proposal.id).execute();
    expect(notices.map((n) => n.organisation_id)).toContain(d.lead.id);
  });

  it("a post without the send button sends nothing", async () => {
    const d = await emptyDraft();
    const response = await runAction(checkAction, await postForm(`/proposals/${d.proposal.id}/check`, {}, { cookie: d.cookie }), { proposalId: d.proposal.id });
    expect(response.status).toBe(400);
    expect((await row(d.proposal.id)).status).toBe("draft");
  });
});
