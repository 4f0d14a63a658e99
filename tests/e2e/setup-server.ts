import { afterAll, inject } from "vitest";
import { BASE_URL_VARIABLE, DATABASE_VARIABLE, startServer } from "./server";

// Runs before each test file (setupFiles in vitest.config.ts): the file gets its
// own server on its own copy of the freshly seeded demo database, so it sees the
// demo data as seeded whatever ran before it, and what it changes no other file sees.
// Test files read the address with serverUrl() from ./server.

const server = await startServer({ fromDatabase: inject("templateDatabase") });
process.env[BASE_URL_VARIABLE] = server.baseUrl;
process.env[DATABASE_VARIABLE] = server.databasePath;
if (process.env.E2E_TIMINGS) console.log(`e2e: server ready in ${server.startupMs} ms`);

afterAll(async () => {
  delete process.env[BASE_URL_VARIABLE];
  delete process.env[DATABASE_VARIABLE];
  if (process.env.E2E_SERVER_LOG) console.log(server.log());
  await server.stop();
});
