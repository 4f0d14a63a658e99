// Adds lock entries for rollup's platform packages that this workplace's npm registry does not serve.
// Without them npm 11's `npm ci` stops with "Missing: @rollup/rollup-… from lock file".
// Run `node scripts/lockfile-platform-entries.cjs` after any `npm install` that rewrites package-lock.json.
const fs = require("fs");
const file = process.argv[2] || "package-lock.json";
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const rollup = lock.packages["node_modules/rollup"];
const cpus = new Set(["arm", "arm64", "x64", "ia32", "loong64", "ppc64", "riscv64", "s390x"]);
for (const [name, version] of Object.entries(rollup.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const parts = name.replace("@rollup/rollup-", "").split("-");
  const os = parts[0];
  const cpu = parts[1] === "arm" ? "arm" : parts[1];
  if (!cpus.has(cpu)) throw new Error(`cannot parse ${name}`);
  const entry = { version, cpu: [cpu], dev: true };
  const abi = parts[2];
  if (os === "linux" && abi) entry.libc = [abi.startsWith("musl") ? "musl" : "glibc"];
  Object.assign(entry, { license: "MIT", optional: true, os: [os] });
  lock.packages[key] = entry;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b, "en"))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
