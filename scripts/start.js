// `npm start`: build when the sources are newer than the build, then serve in production mode, one process per core.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import url from "node:url";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
const builtAt = (() => {
  try {
    return fs.statSync(path.join(root, "build", "index.js")).mtimeMs;
  } catch {
    return 0;
  }
})();

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  newestSource(path.join(root, "app")),
  newestSource(path.join(root, "db")),
  fs.statSync(path.join(root, "remix.config.js")).mtimeMs,
  fs.statSync(path.join(root, "tailwind.config.ts")).mtimeMs,
  fs.statSync(path.join(root, "package-lock.json")).mtimeMs,
);

// `npm run dev` writes a development build to the same place; never serve that.
const isProductionBuild = builtAt > 0 && fs.readFileSync(path.join(root, "build", "index.js"), "utf8").includes('mode = "production"');

if (sources > builtAt || !isProductionBuild) {
  console.log("Building the portal (first run or changed sources)…");
  const result = spawnSync("npx", ["remix", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV = "production";
process.env.PORTAL_START = "1";
// One server process per core unless WEB_CONCURRENCY says otherwise (server.js, docs/decisions/0033).
process.env.WEB_CONCURRENCY ??= "auto";
await import(url.pathToFileURL(path.join(root, "server.js")).href);
