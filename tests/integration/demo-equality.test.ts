import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../db/demo-data";
import { PAST_FUND_NAME } from "../../db/demo-past-round";
import { getEqualityReport } from "~/models/equality.server";
import { getDb } from "~/utils/db.server";

let pastFundId: string;

beforeAll(async () => {
  await seedDemo(getDb());
  pastFundId = (await getDb().selectFrom("fund").select("id").where("name", "=", PAST_FUND_NAME).executeTakeFirstOrThrow()).id;
}, 120_000);

describe("the demo's equality monitoring on last year's round", () => {
  it("shows the applicants' figures beside the area's and the panel of nine, hiding answers fewer than 5 gave", async () => {
    const report = await getEqualityReport(getDb(), pastFundId);
    expect(report.questions.map((q) => q.text)).toEqual([
      "What is your age?",
      "Do you think of yourself as disabled?",
      "What is your ethnic group?",
      "What is your gender?",
    ]);
    expect(report.responses).toEqual({ panel: 9, applicant: 12 });
    const age = report.questions[0]!;
    expect(age.groups.panel.isHidden).toBe(false);
    expect(age.rows.find((r) => r.label === "25 to 49")!.cells.panel).toEqual({
      count: 5,
      shareTenths: 556,
      diffTenths: 116,
      diffWords: "11.6 points more than the area",
    });
    expect(age.rows.find((r) => r.label === "50 to 64")!.cells.panel.count).toBeNull();
    expect(age.rows.find((r) => r.label === "25 to 49")!.cells.applicant).toEqual({
      count: 6,
      shareTenths: 500,
      diffTenths: 60,
      diffWords: "6 points more than the area",
    });
    expect(age.reference.warning).toBeNull();
    const gender = report.questions[3]!;
    expect(gender.reference.warning).toBe("The area's figures add up to 99.5%, not 100%. The other 0.5% shows as unknown.");
    // The nine panel members answered themselves; three applicants online, nine on paper.
    expect(await getDb().selectFrom("equality_participation").select("role_group").where("fund_id", "=", pastFundId).execute()).toHaveLength(12);
  });
});
