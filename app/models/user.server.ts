import type { DB } from "../../db/client";
import type { User } from "../../db/schema";

const PUBLIC_COLUMNS = [
  "id",
  "email",
  "name",
  "role",
  "constituency",
  "decision_group_id",
  "organisation_id",
  "disabled_at",
  "created_at",
] as const;

export type PublicUser = Pick<User, (typeof PUBLIC_COLUMNS)[number]>;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export function findUserByEmail(db: DB, email: string) {
  return db.selectFrom("user").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

export function getUserById(db: DB, id: string): Promise<PublicUser | undefined> {
  return db.selectFrom("user").select(PUBLIC_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export async function listUsers(db: DB, page: number, pageSize = 50) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("user")
      .leftJoin("organisation", "organisation.id", "user.organisation_id")
      .leftJoin("decision_group", "decision_group.id", "user.decision_group_id")
      .select([
        "user.id",
        "user.email",
        "user.name",
        "user.role",
        "user.constituency",
        "user.disabled_at",
        "organisation.name as organisationName",
        "decision_group.name as decisionGroupName",
      ])
      .orderBy("user.role")
      .orderBy("user.name")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db.selectFrom("user").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
