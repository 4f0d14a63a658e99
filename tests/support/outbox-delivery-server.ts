import readline from "node:readline";
import { createDb } from "../../db/client";
import { deliverOutbox } from "~/services/mailer.server";

/**
 * One "app server" for tests/integration/outbox-several-servers.test.ts: a
 * process of its own on the SQLite file named first, claiming as the name
 * given second. It prints "ready", waits for a line on its input (so two
 * start together), delivers the outbox through a transport that records the
 * Message-IDs it is given until nothing is left to claim, and prints them as
 * JSON. Run with tsx.
 */
const [file, claimant] = process.argv.slice(2);
if (!file || !claimant) throw new Error("usage: outbox-delivery-server.ts <sqlite file> <claimant>");
const db = createDb(file);
const sent: string[] = [];
const transport = {
  async sendMail(mail: { messageId: string }) {
    sent.push(mail.messageId);
    await new Promise((resolve) => setTimeout(resolve, 1));
  },
};
await db.selectFrom("email_outbox").select("id").limit(1).execute();
console.log("ready");
const input = readline.createInterface({ input: process.stdin });
await new Promise((resolve) => input.once("line", resolve));
input.close();
for (;;) {
  const round = await deliverOutbox(db, transport, "Grant portal <no-reply@portal.invalid>", { claimant, batchSize: 5 });
  if (round.sent + round.failed === 0) break;
}
await db.destroy();
console.log(JSON.stringify(sent));
