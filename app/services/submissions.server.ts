import { inTransaction, type DB } from "../../db/client";
import { StaleSubmissionError, type Submission } from "~/domain/submissions";
import { nowIso } from "~/utils/ids.server";

/**
 * Runs `work` once per submission key and person, inside the caller's
 * transaction (call it first thing in `inTransaction`). The key is claimed
 * before the work and the work's result stored with it, in the same
 * transaction: if the work fails, the claim goes with it. BEGIN IMMEDIATE
 * serialises writers, so a repeat (a double click, a replay, a parallel copy)
 * finds the claim and gets the first result back, marked `repeated`, without
 * doing anything. No key (an old page, a script): the work just runs.
 * The result must survive JSON (ids, statuses).
 */
export async function onceForSubmission<T>(trx: DB, userId: string, submission: Submission | null | undefined, work: () => Promise<T>): Promise<T> {
  if (!submission) return work();
  const prior = await trx
    .selectFrom("submission")
    .select(["fingerprint", "result"])
    .where("user_id", "=", userId)
    .where("submission_key", "=", submission.key)
    .executeTakeFirst();
  if (prior) {
    if (prior.fingerprint !== submission.fingerprint) throw new StaleSubmissionError();
    submission.repeated = true;
    return (prior.result === null ? undefined : JSON.parse(prior.result)) as T;
  }
  await trx
    .insertInto("submission")
    .values({ user_id: userId, submission_key: submission.key, fingerprint: submission.fingerprint, result: null, created_at: nowIso() })
    .execute();
  const result = await work();
  if (result !== undefined) {
    await trx
      .updateTable("submission")
      .set({ result: JSON.stringify(result) })
      .where("user_id", "=", userId)
      .where("submission_key", "=", submission.key)
      .execute();
  }
  return result;
}

/**
 * inTransaction, run once per submission key: the one line a service that
 * creates money or a record changes to take part (see onceForSubmission).
 */
export function inTransactionOnce<T>(db: DB, userId: string, submission: Submission | null | undefined, fn: (trx: DB) => Promise<T>): Promise<T> {
  return inTransaction(db, (trx) => onceForSubmission(trx, userId, submission, () => fn(trx)));
}
