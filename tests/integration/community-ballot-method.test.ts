import { describe, expect, it } from "vitest";
import { WHO_DECIDES } from "~/domain/community-ballot";
import { action as editAction } from "~/routes/admin.funds.$fundId._index";
import { action as newAction } from "~/routes/admin.funds.new";
import { loader as publicFundLoader } from "~/routes/funds.$fundId._index";
import { getDb } from "~/utils/db.server";
import { makeFund } from "../factories";
import { auditTrailOf, signedIn } from "../support/funds";
import { getRequest, postForm, runAction, runLoader } from "../support/http";

const validFund = {
  name: "All In Neighbourhood Fund",
  purpose: "Residents choose the ideas that get money.",
  type: "revenue",
  budget: "£50,000",
  isPublished: "yes",
  opensOn: "2026-07-01",
  closesOn: "2026-10-31",
  reviewOn: "2027-01-09",
  decisionsOn: "2027-05-01",
  awardsOn: "2027-06-01",
};

const methodOf = async (fundId: string) =>
  (await getDb().selectFrom("fund").select("decision_method").where("id", "=", fundId).executeTakeFirstOrThrow()).decision_method;

describe("a fund's decision method", () => {
  it("a fund made without choosing is decided by a panel (the column's default), and the public page says so", async () => {
    const fund = await makeFund();
    expect(await methodOf(fund.id)).toBe("panel");
    const data = (await (await runLoader(publicFundLoader, getRequest(`/funds/${fund.id}`), { fundId: fund.id })).json()) as {
      fund: { decision_method: string };
      vote: unknown;
    };
    expect(data.fund.decision_method).toBe("panel");
    expect(data.vote).toBeNull();
  });

  it("the administrator chooses a community ballot at set-up: stored, audited, and the public page says residents decide", async () => {
    const { user, cookie } = await signedIn("admin");
    const response = await runAction(newAction, await postForm("/admin/funds/new", { ...validFund, decisionMethod: "ballot" }, { cookie }));
    expect(response.status).toBe(302);
    const fundId = response.headers.get("Location")!.split("/")[3]!.split("?")[0]!;
    expect(await methodOf(fundId)).toBe("ballot");
    const trail = await auditTrailOf("fund", fundId);
    expect(trail[0]).toMatchObject({ action: "fund.created", actor: user.id });
    expect(JSON.parse(trail[0]!.after!)).toMatchObject({ decision_method: "ballot" });
    const data = (await (await runLoader(publicFundLoader, getRequest(`/funds/${fundId}`), { fundId })).json()) as { fund: { decision_method: string } };
    expect(data.fund.decision_method).toBe("ballot");
    expect(WHO_DECIDES.ballot).toMatch(/People who live in the area decide/);
  });

  it("the administrator changes it to 'both' on edit, with a before and after on the audit trail", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await runAction(
      editAction,
      await postForm(`/admin/funds/${fund.id}`, { ...validFund, decisionMethod: "shortlist_then_ballot" }, { cookie }),
      { fundId: fund.id },
    );
    expect(response.status).toBe(302);
    expect(await methodOf(fund.id)).toBe("shortlist_then_ballot");
    const updated = (await auditTrailOf("fund", fund.id)).find((e) => e.action === "fund.updated")!;
    expect(JSON.parse(updated.before!)).toMatchObject({ decision_method: "panel" });
    expect(JSON.parse(updated.after!)).toMatchObject({ decision_method: "shortlist_then_ballot" });
  });

  it("an edit that leaves the choice out keeps the method", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    await getDb().updateTable("fund").set({ decision_method: "ballot_advises_panel" }).where("id", "=", fund.id).execute();
    const response = await runAction(editAction, await postForm(`/admin/funds/${fund.id}`, validFund, { cookie }), { fundId: fund.id });
    expect(response.status).toBe(302);
    expect(await methodOf(fund.id)).toBe("ballot_advises_panel");
  });

  it("an unknown method is a 400 with the message on its field and the input kept; nothing changes", async () => {
    const { cookie } = await signedIn("admin");
    const fund = await makeFund();
    const response = await runAction(
      editAction,
      await postForm(`/admin/funds/${fund.id}`, { ...validFund, name: "Kept name", decisionMethod: "lottery" }, { cookie }),
      { fundId: fund.id },
    );
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors.decisionMethod).toBe("Choose who decides");
    expect(data.values.name).toBe("Kept name");
    expect(await methodOf(fund.id)).toBe("panel");
  });
});
