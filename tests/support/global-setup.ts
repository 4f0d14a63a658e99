import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDb, migrateToLatest } from "../../db/client";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/** Migrates one template database; each test file then works on its own copy. */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-tests-"));
  const templateDb = path.join(dir, "template.db");
  const db = createDb(templateDb);
  await migrateToLatest(db);
  await db.destroy();
  project.provide("templateDb", templateDb);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
