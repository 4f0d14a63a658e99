import { migrateToLatest, type DB } from "../../db/client";
import { isDatabaseEmpty, seedDemo } from "../../db/demo-data";
import { decidePortalMode, type PortalModeDecision } from "~/domain/portal-mode";
import { countAdministrators, countDemoAccounts } from "~/models/portal-status.server";

export interface BootstrapResult extends PortalModeDecision {
  migrated: string[];
  /** The demo data was written just now. */
  seeded: boolean;
  /** Enabled accounts with a demo address, after seeding. */
  demoAccounts: number;
  administrators: number;
  /** What the server prints at start (startNotices). */
  notices: string[];
}

/**
 * Brings the schema up to date and, in demo mode only, writes the demo data
 * into an empty database. A deployment never seeds (docs/decisions/0019).
 */
export async function bootstrapDatabase(db: DB, decision: PortalModeDecision = decidePortalMode(process.env)): Promise<BootstrapResult> {
  const migrated = await migrateToLatest(db);
  // Checked again inside seedDemo's write transaction: another server may be seeding the same new database (issue 14).
  const seeded = decision.mode === "demo" && (await isDatabaseEmpty(db)) && (await seedDemo(db, new Date(), { onlyIfEmpty: true }));
  const status = { ...decision, migrated, seeded, demoAccounts: await countDemoAccounts(db), administrators: await countAdministrators(db) };
  return { ...status, notices: startNotices(status) };
}

/** The lines the server prints at start about demo accounts and administrators: loud when it matters. */
export function startNotices(result: Omit<BootstrapResult, "notices">): string[] {
  const lines: string[] = [`Mode: ${result.mode} (${result.reason}).`];
  const bar = "!".repeat(78);
  if (result.seeded || result.demoAccounts > 0) {
    lines.push(
      bar,
      result.seeded
        ? `DEMO ACCOUNTS WERE CREATED: ${result.demoAccounts} accounts whose passwords are printed in the README, administrators among them.`
        : `THIS DATABASE HAS ${result.demoAccounts} DEMO ACCOUNTS, whose passwords are printed in the README, administrators among them.`,
      "Anyone who can reach this portal can sign in as an administrator. Never put real people's data in it.",
      "For a real deployment: an empty database, PORTAL_MODE=deployment, then npm run admin:create (README: Deploying for real).",
      bar,
    );
  }
  if (result.mode === "deployment" && result.administrators === 0) {
    lines.push('No administrator yet. Create the first one with: npm run admin:create -- --email you@example.org --name "Your Name"');
  }
  return lines;
}
