// npm run db:purge — deletes expired sessions, old sign-in attempts, used or expired reset links, long-expired
// invitations, delivered emails, old submission keys, unconfirmed registrations, expired two-factor steps, voter sessions
// and voters' emailed codes, and voters' email hashes after published results, from DATABASE_URL (postgres://) or DATABASE_PATH (default data/portal.db). The periods are in app/domain/retention.ts;
// the running server does the same every hour.
import fs from "node:fs";
import { purgeExpiredPersonalData } from "~/services/personal-data.server";
import { cliTarget, openCliDb } from "./cli";

const { file, isPostgres } = cliTarget();
if (!isPostgres && !fs.existsSync(file)) {
  console.error(`No database at ${file}.`);
  process.exit(2);
}
const { db } = openCliDb();
try {
  const purged = await purgeExpiredPersonalData(db);
  console.log(
    `Purged ${purged.sessions} sessions, ${purged.loginAttempts} sign-in attempts, ${purged.passwordResets} password reset links, ` +
      `${purged.invitations} invitations, ${purged.emails} delivered emails, ${purged.submissions} submission keys, ` +
      `${purged.registrations} registration links, ${purged.pendingSignIns} unfinished two-factor sign-ins, ` +
      `${purged.voterSessions} voter sessions and ${purged.voterChallenges} voters' emailed codes, and removed ${purged.voterEmails} voters' email hashes.`,
  );
} finally {
  await db.destroy();
}
