import type { DB } from "../../db/client";
import type { User } from "../../db/schema";
import { hatLabel, sortMemberships } from "~/domain/memberships";

const PUBLIC_COLUMNS = ["id", "email", "name", "disabled_at", "created_at"] as const;

export type PublicUser = Pick<User, (typeof PUBLIC_COLUMNS)[number]>;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export function findUserByEmail(db: DB, email: string) {
  return db.selectFrom("user").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

export function getUserById(db: DB, id: string): Promise<PublicUser | undefined> {
  return db.selectFrom("user").select(PUBLIC_COLUMNS).where("id", "=", id).executeTakeFirst();
}

/** A page of accounts, each with its current memberships described in words, in two queries. */
export async function listUsers(db: DB, page: number, pageSize = 50) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("user")
      .select(["user.id", "user.email", "user.name", "user.disabled_at"])
      .orderBy("user.name")
      .orderBy("user.id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("user")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const memberships = rows.length
    ? await db
        .selectFrom("membership as m")
        .leftJoin("organisation as o", "o.id", "m.organisation_id")
        .leftJoin("decision_group as g", "g.id", "m.decision_group_id")
        .leftJoin("fund as f", "f.id", "m.fund_id")
        .select([
          "m.id",
          "m.user_id",
          "m.role",
          "m.constituency",
          "m.is_chair",
          "m.started_at",
          "o.name as organisationName",
          "g.name as decisionGroupName",
          "f.name as fundName",
        ])
        .where(
          "m.user_id",
          "in",
          rows.map((r) => r.id),
        )
        .where("m.ended_at", "is", null)
        .execute()
    : [];
  return {
    rows: rows.map((u) => ({
      ...u,
      roles: sortMemberships(memberships.filter((m) => m.user_id === u.id).map((m) => ({ ...m, isChair: m.is_chair === 1, startedAt: m.started_at }))).map(
        (m) => ({ id: m.id, label: hatLabel(m) }),
      ),
    })),
    total: Number(total.n),
  };
}
