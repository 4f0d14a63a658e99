import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/*
 * Layer boundaries (docs/decisions/0014-access-policy.md, README "How it is built").
 * Imports are written "~/models/x.server" or relatively ("../../db/client"), so
 * each pattern is a regular expression that matches either spelling.
 */
const layer = {
  routes: {
    regex: "^(~/|(\\.\\.?/)+|.*/app/)routes(/|$)",
    message: "Nothing imports a route module: move what you need into domain/, models/, services/ or components/.",
  },
  models: { regex: "(^~/|/)models/", message: "This layer must not read the database: take the data as an argument." },
  services: { regex: "(^~/|/)services/", message: "This layer must not call services: services call down into models, not the other way round." },
  auth: { regex: "(^~/|/)auth/", message: "The domain is pure: sessions and guards belong to routes and services." },
  serverUtils: { regex: "(^~/|/)utils/.*\\.server$", message: "The domain is pure: no server utilities." },
  serverModule: { regex: "\\.server$", message: "Components end up in the browser bundle: pass server data in as props." },
  dbClient: { regex: "(^|/)db/client$", message: "This layer must not open or use the database handle." },
  dbNotSchema: { regex: "(^|/)db/(?!schema$)", message: "Components must not reach into db/: only type-only imports of db/schema are allowed." },
  kysely: { regex: "^kysely(/|$)", message: "Kysely belongs in models/ and services/." },
  sqlite: { regex: "^better-sqlite3(/|$)", message: "The SQLite driver belongs in db/client.ts." },
};

/** no-restricted-imports options: these layer patterns, always with the ban on route imports. */
const forbid = (...patterns) => ({ patterns: [layer.routes, ...patterns] });

/** Type-only imports of db/schema are fine anywhere; a value import would pull the schema module into pure code. */
const schemaTypesOnly = {
  patterns: [{ regex: "(^|/)db/schema$", allowTypeImports: true, message: "Import db/schema with `import type` here." }],
};

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "data/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Nothing in app/ imports a route module (routes import each other only through the URL).
    files: ["app/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", forbid()] },
  },
  {
    // A route module's relative imports ("./admin.funds") would be other routes.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        forbid({ regex: "^\\./", message: "Nothing imports a route module: move what you need into domain/, models/, services/ or components/." }),
      ],
    },
  },
  {
    // domain/ is pure: no I/O, no database, no sessions.
    files: ["app/domain/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", forbid(layer.models, layer.services, layer.auth, layer.serverUtils, layer.dbClient, layer.kysely, layer.sqlite)],
      "@typescript-eslint/no-restricted-imports": ["error", schemaTypesOnly],
    },
  },
  {
    // models/ are read views: they never call a service.
    files: ["app/models/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", forbid(layer.services)] },
  },
  {
    // services/ are called by routes, never the reverse.
    files: ["app/services/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", forbid()] },
  },
  {
    // components/ are presentational React that reaches the browser.
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [layer.serverModule, layer.models, layer.services, layer.dbNotSchema, layer.kysely, layer.sqlite] }],
      // The ban on route imports, and type-only imports of db/schema (a separate rule from the one above).
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [layer.routes, ...schemaTypesOnly.patterns] }],
    },
  },
  {
    // Turned on by the access-policy change (issue 8).
    // Who may do what is decided in one place, can() in app/domain/permissions.ts; a role comparison anywhere else is a second policy.
    // A role chosen on a form is data, not the acting person's: read it through a table (ROLE_SCOPE in domain/roles.ts).
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/domain/permissions.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "BinaryExpression[operator=/^[!=]==$/]:matches([left.type='MemberExpression'][left.property.name='role'], [right.type='MemberExpression'][right.property.name='role'], [left.type='ChainExpression'][left.expression.property.name='role'], [right.type='ChainExpression'][right.expression.property.name='role'])",
          message: "Ask can(actor, action, resource) in app/domain/permissions.ts instead of comparing a role.",
        },
        {
          selector:
            "SwitchStatement:matches([discriminant.type='MemberExpression'][discriminant.property.name='role'], [discriminant.type='ChainExpression'][discriminant.expression.property.name='role'])",
          message: "Ask can(actor, action, resource), or a scope function, in app/domain/permissions.ts instead of switching on a role.",
        },
      ],
    },
  },
  {
    // Migrations are frozen in time and take Kysely<any> by design (ARCHITECTURE.md, rule 11).
    files: ["db/migrations/**/*.ts", "db/client.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
