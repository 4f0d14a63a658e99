import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { runAdminCreate } from "../../db/admin-create";
import { verifyPassword } from "~/auth/password.server";
import { DemoAccountsBanner } from "~/components/demo-accounts-banner";
import { loader as rootLoader } from "~/root";
import { bootstrapDatabase } from "~/services/bootstrap.server";
import { getDb } from "~/utils/db.server";
import { auditEventsFor, countOf, makeUser } from "../factories";
import { getRequest, runLoader, sessionCookieFor } from "../support/http";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs the admin:create command in this process, on this file's database. */
async function adminCreate(args: string[], stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCreate(getDb(), args, { readStdin: async () => stdin, log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const userByEmail = (email: string) => getDb().selectFrom("user").selectAll().where("email", "=", email).executeTakeFirst();

async function demoAccountsShownTo(userId: string): Promise<number> {
  const response = await runLoader(rootLoader, getRequest("/admin", { cookie: await sessionCookieFor(userId) }));
  return (await response.json()).demoAccounts;
}

// The tests share one database and run in order: first empty, then seeded.
describe("no demo accounts in a real deployment", () => {
  it("a deployment never seeds an empty database, and the start log says how to make the first administrator", async () => {
    expect(await countOf("user")).toBe(0);
    const result = await bootstrapDatabase(getDb(), { mode: "deployment", reason: "PORTAL_MODE=deployment" });
    expect(result.seeded).toBe(false);
    expect(await countOf("user")).toBe(0);
    expect(result.demoAccounts).toBe(0);
    expect(result.notices.join("\n")).toMatch(/No administrator yet\. Create the first one with: npm run admin:create/);
    expect(result.notices.join("\n")).not.toMatch(/DEMO/);
  });

  it("a deployment decided by APP_URL alone (PORTAL_MODE unset) does not seed either", async () => {
    const saved = { mode: process.env.PORTAL_MODE, url: process.env.APP_URL };
    delete process.env.PORTAL_MODE;
    process.env.APP_URL = "https://grants.example.org";
    try {
      const result = await bootstrapDatabase(getDb());
      expect(result.mode).toBe("deployment");
      expect(result.seeded).toBe(false);
      expect(await countOf("user")).toBe(0);
    } finally {
      if (saved.mode === undefined) delete process.env.PORTAL_MODE;
      else process.env.PORTAL_MODE = saved.mode;
      process.env.APP_URL = saved.url;
    }
  });

  it("admin:create makes the first administrator with a generated strong password, printed once", async () => {
    const { code, out } = await adminCreate(["--email", "Chief@Council.example.org", "--name", "Chidi Chief"]);
    expect(code).toBe(0);
    const password = /Password \(shown once; keep it in a password manager\): (\S+)/.exec(out)?.[1];
    expect(password).toHaveLength(24);
    const user = await userByEmail("chief@council.example.org");
    expect(user?.name).toBe("Chidi Chief");
    expect(await verifyPassword(password!, user!.password_hash)).toBe(true);
    const membership = await getDb().selectFrom("membership").select(["role", "ended_at"]).where("user_id", "=", user!.id).execute();
    expect(membership).toEqual([{ role: "admin", ended_at: null }]);
    expect((await auditEventsFor("user.created")).some((e) => e.entity_id === user!.id && e.actor === "system")).toBe(true);
    const after = await bootstrapDatabase(getDb(), { mode: "deployment", reason: "test" });
    expect(after.administrators).toBe(1);
    expect(after.notices.join("\n")).not.toMatch(/No administrator yet/);
  });

  it("admin:create refuses a weak password, a demo address, an existing account and missing arguments, and writes nothing", async () => {
    const before = await countOf("user");
    const weak = await adminCreate(["--email", "weak@council.example.org", "--name", "Wes Weak", "--password-stdin"], "password123\n");
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/Not created: Password must be at least 10 characters|too common/);
    const common = await adminCreate(["--email", "weak@council.example.org", "--name", "Wes Weak", "--password-stdin"], "password1234\n");
    expect(common.code).toBe(1);
    const demo = await adminCreate(["--email", "boss@demo.example", "--name", "Demo Boss"]);
    expect(demo.code).toBe(1);
    expect(demo.err).toMatch(/demo address/);
    const again = await adminCreate(["--email", "chief@council.example.org", "--name", "Someone Else"]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
    expect((await adminCreate(["--email", "x@council.example.org"])).code).toBe(2);
    expect((await adminCreate(["--nonsense"])).code).toBe(2);
    expect(await countOf("user")).toBe(before);
  });

  it("npm run admin:create works from the command line, with the password on standard input", () => {
    const result = spawnSync(
      "npm",
      ["run", "--silent", "admin:create", "--", "--email", "second@council.example.org", "--name", "Sam Second", "--password-stdin"],
      {
        cwd: ROOT,
        input: "lantern meadow harbour kite\n",
        encoding: "utf8",
        env: { ...process.env, npm_config_loglevel: "error" },
        timeout: 120_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Administrator created: Sam Second <second@council\.example\.org>/);
    expect(result.stdout).not.toMatch(/lantern/);
  }, 120_000);

  it("while there are no demo accounts, administrators see no banner", async () => {
    const admin = await userByEmail("chief@council.example.org");
    expect(await demoAccountsShownTo(admin!.id)).toBe(0);
  });

  it("in demo mode an empty database is seeded, and the start log says loudly that demo accounts were created", async () => {
    await getDb().deleteFrom("membership").execute();
    await getDb().deleteFrom("user").execute();
    const result = await bootstrapDatabase(getDb(), { mode: "demo", reason: "PORTAL_MODE=demo" });
    expect(result.seeded).toBe(true);
    expect(result.demoAccounts).toBeGreaterThan(10);
    expect(result.notices.join("\n")).toMatch(/DEMO ACCOUNTS WERE CREATED/);
    // In a deployment, the same database still warns at every start.
    const later = await bootstrapDatabase(getDb(), { mode: "deployment", reason: "PORTAL_MODE=deployment" });
    expect(later.seeded).toBe(false);
    expect(later.notices.join("\n")).toMatch(/THIS DATABASE HAS \d+ DEMO ACCOUNTS/);
  }, 60_000);

  it("every administrator page carries the banner while demo accounts can sign in; nobody else sees it; disabling them all takes it away", async () => {
    const demoAdmin = await userByEmail("admin@demo.example");
    const realAdmin = await makeUser({ role: "admin" });
    const applicant = await makeUser({ role: "applicant" });
    const count = await demoAccountsShownTo(demoAdmin!.id);
    expect(count).toBeGreaterThan(10);
    expect(await demoAccountsShownTo(realAdmin.id)).toBe(count);
    expect(await demoAccountsShownTo(applicant.id)).toBe(0);
    const html = renderToString(DemoAccountsBanner({ count })!);
    expect(html).toContain("Demo accounts are open on this portal");
    expect(html).toContain(`${count} accounts have a @demo.example address and a password printed in the README`);

    await getDb().updateTable("user").set({ disabled_at: new Date().toISOString() }).where("email", "like", "%@demo.example").execute();
    expect(await demoAccountsShownTo(realAdmin.id)).toBe(0);
    expect(DemoAccountsBanner({ count: 0 })).toBeNull();
  });
});
