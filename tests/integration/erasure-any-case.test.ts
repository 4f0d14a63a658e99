import { describe, expect, it } from "vitest";
import { erasePerson } from "~/services/personal-data.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeOrganisation, makeUser } from "../factories";

// Erasure finds a person's name and email in free text however it is capitalised, on SQLite and on PostgreSQL
// (whose like, unlike SQLite's, minds case: db/dialect.ts likeIgnoringCase). Database-neutral: CI runs it on both.
describe("erasing a person finds them in any case", () => {
  it("redacts a mention of their name and email written in capitals or lower case", async () => {
    const db = getDb();
    const admin = await makeUser({ role: "admin" });
    const person = await makeUser({ name: "Philippa Quenby-Hartwell", email: "Philippa.QH@example.test" });
    const loud = await makeOrganisation({ name: "Group shouting" });
    const quiet = await makeOrganisation({ name: "Group whispering" });
    await db
      .updateTable("organisation")
      .set({ address: "Ask PHILIPPA QUENBY-HARTWELL (PHILIPPA.QH@EXAMPLE.TEST) about the garden." })
      .where("id", "=", loud.id)
      .execute();
    await db.updateTable("organisation").set({ address: "or philippa quenby-hartwell, philippa.qh@example.test" }).where("id", "=", quiet.id).execute();

    const result = await erasePerson(db, actorOf(admin), person.id, "Asked to be forgotten");

    expect(result.rowsRedacted).toBeGreaterThanOrEqual(2);
    const descriptions = await db.selectFrom("organisation").select("address").where("id", "in", [loud.id, quiet.id]).execute();
    for (const { address } of descriptions) {
      expect(address?.toLowerCase()).not.toContain("philippa");
      expect(address?.toLowerCase()).not.toContain("quenby");
    }
  });
});
