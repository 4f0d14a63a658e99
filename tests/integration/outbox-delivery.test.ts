import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, queueEmail } from "~/models/outbox.server";
import { deliverOutbox } from "~/services/mailer.server";
import { getDb } from "~/utils/db.server";

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

const FROM = "Grant portal <no-reply@portal.invalid>";
const servers: SMTPServer[] = [];

/** A real SMTP server on a free local port that keeps what it receives. */
async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
    ...options,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const transport = nodemailer.createTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`);
  return { received, transport };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const outboxRow = (id: string) => getDb().selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** Marks everything already waiting as sent, so each test delivers only its own email. */
async function clearOutbox() {
  await getDb().updateTable("email_outbox").set({ sent_at: new Date().toISOString() }).where("sent_at", "is", null).execute();
}

describe("delivering the outbox by SMTP", () => {
  it("sends a queued email to the SMTP server and marks it sent", async () => {
    await clearOutbox();
    const { received, transport } = await startSmtp();
    const id = await queueEmail(getDb(), {
      to: "rita@example.test",
      subject: "You are invited to the grant decision portal",
      text: "Hello Rita,\n\nSet your password here: http://localhost/invitations/abc123",
    });

    const result = await deliverOutbox(getDb(), transport, FROM);
    expect(result).toEqual({ sent: 1, failed: 0 });

    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["rita@example.test"]);
    expect(received[0]!.from).toBe("no-reply@portal.invalid");
    expect(received[0]!.raw).toMatch(/^Subject: You are invited to the grant decision portal$/m);
    expect(received[0]!.raw).toMatch(/^To: rita@example.test$/m);
    expect(received[0]!.raw).toContain("Hello Rita,");
    expect(received[0]!.raw).toContain("http://localhost/invitations/abc123");

    const row = await outboxRow(id);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeNull();

    // Delivering again sends nothing twice.
    expect(await deliverOutbox(getDb(), transport, FROM)).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("a delivery the server rejects leaves the email unsent, with one attempt and the error recorded", async () => {
    await clearOutbox();
    const { received, transport } = await startSmtp({
      onRcptTo(_address, _session, callback) {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        callback(error);
      },
    });
    const id = await queueEmail(getDb(), { to: "gone@example.test", subject: "Reset your password", text: "A link." });

    const result = await deliverOutbox(getDb(), transport, FROM);
    expect(result).toEqual({ sent: 0, failed: 1 });
    expect(received).toHaveLength(0);

    const row = await outboxRow(id);
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/Mailbox unavailable|550/);
  });

  it("one failing email does not stop the others being sent", async () => {
    await clearOutbox();
    const { received, transport } = await startSmtp({
      onRcptTo(address, _session, callback) {
        if (address.address === "bad@example.test") callback(Object.assign(new Error("No such user"), { responseCode: 550 }));
        else callback();
      },
    });
    const bad = await queueEmail(getDb(), { to: "bad@example.test", subject: "One", text: "One" });
    const good = await queueEmail(getDb(), { to: "good@example.test", subject: "Two", text: "Two" });

    expect(await deliverOutbox(getDb(), transport, FROM)).toEqual({ sent: 1, failed: 1 });
    expect(received.map((r) => r.to)).toEqual([["good@example.test"]]);
    expect((await outboxRow(bad)).sent_at).toBeNull();
    expect((await outboxRow(good)).sent_at).not.toBeNull();
  });

  it("an email that keeps failing is given up after the maximum number of attempts", async () => {
    await clearOutbox();
    const { transport } = await startSmtp({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error("Try later"), { responseCode: 451 }));
      },
    });
    const id = await queueEmail(getDb(), { to: "flaky@example.test", subject: "Retry", text: "Retry" });
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS + 2; i += 1) await deliverOutbox(getDb(), transport, FROM);
    const row = await outboxRow(id);
    expect(row.attempts).toBe(MAX_DELIVERY_ATTEMPTS);
    expect(row.sent_at).toBeNull();
  });
});
