import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import type { TestProject } from "vitest/node";
import { root, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    /** The seeded demo database, written once per run; each test file's server starts on its own copy. */
    templateDatabase: string;
  }
}

/**
 * Builds the app once, then starts it once on a new database so that it migrates
 * and writes the demo data exactly as a first run in production does, and keeps
 * that database as the template for every test file's own server.
 */
export default async function setup(project: TestProject) {
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error(`npm run build failed with code ${build.status}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-template-"));
  const templateDatabase = path.join(dir, "demo.db");
  // Writing the demo data takes seconds on a quiet machine and more than a minute on a loaded one.
  const server = await startServer({ readyWithinMs: 300_000 });
  try {
    // A consistent copy of the seeded database, WAL included, taken through SQLite's backup API.
    const live = new SQLite(server.databasePath, { readonly: true, fileMustExist: true });
    try {
      await live.backup(templateDatabase);
    } finally {
      live.close();
    }
  } catch (error) {
    console.error(server.log());
    throw error;
  } finally {
    await server.stop();
  }
  // One self-contained file: the servers that copy it switch it back to WAL.
  const template = new SQLite(templateDatabase);
  template.pragma("journal_mode = DELETE");
  template.close();
  console.log(`e2e: seeded demo database written in ${server.startupMs} ms; each test file gets its own server on a copy of it`);
  project.provide("templateDatabase", templateDatabase);

  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
