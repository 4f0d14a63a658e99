import nodemailer, { type Transporter } from "nodemailer";
import type { DB } from "../../db/client";
import { markEmailFailed, markEmailSent, pendingEmails } from "~/models/outbox.server";

/** Sends what is waiting in the outbox. Each message is marked sent or failed on its own. */
export async function deliverOutbox(db: DB, transport: Transporter, from: string) {
  let sent = 0;
  let failed = 0;
  for (const email of await pendingEmails(db)) {
    try {
      await transport.sendMail({ from, to: email.to_address, subject: email.subject, text: email.body_text });
      await markEmailSent(db, email.id);
      sent += 1;
    } catch (error) {
      await markEmailFailed(db, email.id, error instanceof Error ? error.message : String(error));
      failed += 1;
    }
  }
  return { sent, failed };
}

/** Polls the outbox and delivers by SMTP until the returned stop function is called. */
export function startOutboxDelivery(db: DB, smtpUrl: string, from: string, intervalMs = 5000): () => void {
  const transport = nodemailer.createTransport(smtpUrl);
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await deliverOutbox(db, transport, from);
    } catch (error) {
      console.error("Outbox delivery failed:", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => {
    clearInterval(timer);
    transport.close();
  };
}
