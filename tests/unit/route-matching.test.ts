import { createRequire } from "node:module";
import type { AgnosticRouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";

// The server matches each request through the CommonJS build of @remix-run/router, which
// @remix-run/server-runtime requires; scripts/patches keeps its ranked routes and compiled
// patterns (docs/decisions/0056). Load that same file, not the ES module vitest would pick.
const require = createRequire(import.meta.url);
const serverRuntimeRequire = createRequire(require.resolve("@remix-run/server-runtime"));
const router = serverRuntimeRequire("@remix-run/router") as typeof import("@remix-run/router");

type Route = { id: string; path?: string; index?: boolean; children?: Route[] };

/** A route tree like the portal's, with a count of how often the matcher walks it. */
function routeTree() {
  let walks = 0;
  const counted = (route: Route): Route => {
    const children = route.children?.map(counted);
    return {
      ...route,
      get children() {
        walks += 1;
        return children;
      },
    };
  };
  const routes = [
    counted({
      id: "root",
      path: "",
      children: [
        { id: "routes/_index", index: true },
        { id: "routes/funds._index", path: "funds" },
        { id: "routes/funds.$fundId", path: "funds/:fundId" },
        { id: "routes/funds.$fundId.results", path: "funds/:fundId/results" },
        { id: "routes/funds.new", path: "funds/new" },
        { id: "routes/files.$", path: "files/*" },
        {
          id: "routes/admin",
          path: "admin",
          children: [
            { id: "routes/admin._index", index: true },
            { id: "routes/admin.audit", path: "audit" },
          ],
        },
      ],
    }),
  ];
  // The router's own type splits index and non-index routes; this plain tree is both, as a build's is.
  return { routes: routes as unknown as AgnosticRouteObject[], walks: () => walks };
}

const ids = (matches: ReturnType<typeof router.matchRoutes>) => matches?.map((m) => m.route.id) ?? null;

describe("route matching on the server (the patched @remix-run/router)", () => {
  it("checks the file @remix-run/server-runtime loads", () => {
    expect(serverRuntimeRequire.resolve("@remix-run/router")).toMatch(/router\.cjs\.js$/);
  });

  it("ranks a route tree once and reuses it for every later request", () => {
    const { routes, walks } = routeTree();
    router.matchRoutes(routes, "/funds");
    const afterFirst = walks();
    expect(afterFirst).toBeGreaterThan(0);
    for (const path of ["/funds", "/admin/audit", "/funds/abc", "/nowhere"]) router.matchRoutes(routes, path);
    expect(walks()).toBe(afterFirst);
  });

  it("matches exactly as a freshly ranked tree does: static before dynamic, params, splats, index routes, no match", () => {
    const { routes } = routeTree();
    const cases: [string, string[] | null, Record<string, string>?][] = [
      ["/", ["root", "routes/_index"]],
      ["/funds", ["root", "routes/funds._index"]],
      ["/funds/new", ["root", "routes/funds.new"]],
      ["/funds/abc", ["root", "routes/funds.$fundId"], { fundId: "abc" }],
      ["/FUNDS/abc/results/", ["root", "routes/funds.$fundId.results"], { fundId: "abc" }],
      ["/files/a/b.pdf", ["root", "routes/files.$"], { "*": "a/b.pdf" }],
      ["/admin", ["root", "routes/admin", "routes/admin._index"]],
      ["/admin/audit", ["root", "routes/admin", "routes/admin.audit"]],
      ["/admin/nope", null],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [path, expected, params] of cases) {
        const cached = router.matchRoutes(routes, path);
        const fresh = router.matchRoutes(routeTree().routes, path);
        expect(ids(cached), path).toEqual(expected);
        expect(ids(fresh), path).toEqual(expected);
        if (params) expect(cached?.at(-1)?.params).toEqual(params);
      }
    }
  });

  it("gives each request its own params, so one request cannot change another's", () => {
    const { routes } = routeTree();
    const first = router.matchRoutes(routes, "/funds/one");
    (first!.at(-1)!.params as Record<string, string>).fundId = "changed";
    expect(router.matchRoutes(routes, "/funds/two")?.at(-1)?.params).toEqual({ fundId: "two" });
    expect(router.matchRoutes(routes, "/funds/one")?.at(-1)?.params).toEqual({ fundId: "one" });
  });
});
