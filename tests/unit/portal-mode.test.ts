import { describe, expect, it } from "vitest";
import { decidePortalMode, isDemoEmail } from "~/domain/portal-mode";

describe("demo or deployment", () => {
  it("PORTAL_MODE decides when it is set", () => {
    expect(decidePortalMode({ PORTAL_MODE: "deployment" }).mode).toBe("deployment");
    expect(decidePortalMode({ PORTAL_MODE: "demo", APP_URL: "https://grants.example.org" }).mode).toBe("demo");
  });

  it("unset, the quick start (no APP_URL, or a local one) is a demo", () => {
    expect(decidePortalMode({}).mode).toBe("demo");
    expect(decidePortalMode({ APP_URL: "http://localhost:3000" }).mode).toBe("demo");
    expect(decidePortalMode({ APP_URL: "http://127.0.0.1:8080" }).mode).toBe("demo");
  });

  it("unset, an APP_URL that points anywhere but this machine makes it a deployment, so a real site cannot get the demo by forgetting PORTAL_MODE", () => {
    const decision = decidePortalMode({ APP_URL: "https://grants.example.org" });
    expect(decision.mode).toBe("deployment");
    expect(decision.reason).toMatch(/grants\.example\.org/);
    expect(decidePortalMode({ APP_URL: "http://192.168.1.20:3000" }).mode).toBe("deployment");
  });

  it("a PORTAL_MODE that is neither refuses to start, naming the variable", () => {
    expect(() => decidePortalMode({ PORTAL_MODE: "production" })).toThrow(/PORTAL_MODE must be "demo" or "deployment"/);
  });

  it("knows a demo address", () => {
    expect(isDemoEmail("admin@demo.example")).toBe(true);
    expect(isDemoEmail("Admin@DEMO.example")).toBe(true);
    expect(isDemoEmail("someone@demo.example.org")).toBe(false);
  });
});
