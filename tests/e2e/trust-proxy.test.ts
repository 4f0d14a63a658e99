import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { serverUrl, startServer, type RunningServer } from "./server";

// The real server (server.js, production mode): whether X-Forwarded-Proto counts
// is Express's "trust proxy", which only TRUST_PROXY turns on; the cookies'
// names and Secure flag follow the protocol the server believes in. Plain
// node:http, not a browser, so the Host header can be a network address.

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const setCookies = (reply: Reply) => reply.headers["set-cookie"] ?? [];
const pair = (setCookie: string) => setCookie.split(";")[0]!;
const csrfTokenIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];
const applicant = DEMO_ACCOUNTS.find((a) => a.role === "applicant")!;

/** Signs the demo applicant in through the sign-in page, as a browser at `origin` would, with these extra headers. */
async function signIn(baseUrl: string, origin: string, headers: Record<string, string>) {
  const page = await send(baseUrl, "/login", { headers });
  const csrf = setCookies(page).find((c) => /^(__Host-)?_*csrf=/.test(c))!;
  const token = csrfTokenIn(page.body)!;
  const body = new URLSearchParams({ csrf: token, email: applicant.email, password: applicant.password, redirectTo: "" }).toString();
  return send(baseUrl, "/login", {
    method: "POST",
    headers: {
      ...headers,
      Origin: origin,
      Cookie: pair(csrf),
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(Buffer.byteLength(body)),
    },
    body,
  });
}

let trusting: RunningServer;
beforeAll(async () => {
  trusting = await startServer({ fromDatabase: inject("templateDatabase"), env: { TRUST_PROXY: "1" } });
});
afterAll(async () => {
  await trusting?.stop();
});

describe("HTTPS behind a proxy, and plain HTTP", () => {
  it("without TRUST_PROXY, a client's X-Forwarded-Proto: https is ignored: plain cookie names, no Secure, no HSTS", async () => {
    const page = await send(serverUrl(), "/login", { headers: { "X-Forwarded-Proto": "https" } });
    expect(page.status).toBe(200);
    const cookies = setCookies(page);
    expect(cookies.some((c) => c.startsWith("__csrf="))).toBe(true);
    expect(cookies.some((c) => c.startsWith("__Host-"))).toBe(false);
    expect(cookies.join("\n")).not.toMatch(/Secure/);
    expect(page.headers["strict-transport-security"]).toBeUndefined();
  });

  it("with TRUST_PROXY=1, the proxy's X-Forwarded-Proto: https gives __Host- cookies with Secure, HSTS, and a sign-in that works", async () => {
    const port = new URL(trusting.baseUrl).port;
    const headers = { "X-Forwarded-Proto": "https" };
    const page = await send(trusting.baseUrl, "/login", { headers });
    const csrf = setCookies(page).find((c) => c.startsWith("__Host-csrf="));
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/; Path=\//);
    expect(page.headers["strict-transport-security"]).toMatch(/max-age=/);
    expect(page.body).not.toContain("This connection is not encrypted");

    const signedIn = await signIn(trusting.baseUrl, `https://localhost:${port}`, headers);
    expect(signedIn.status, signedIn.body).toBe(302);
    const session = setCookies(signedIn).find((c) => c.startsWith("__Host-session="));
    expect(session).toMatch(/; Secure/);
    expect(setCookies(signedIn).some((c) => c.startsWith("__session="))).toBe(false);
  });

  it("with TRUST_PROXY=1 but no X-Forwarded-Proto, it is plain HTTP again", async () => {
    const page = await send(trusting.baseUrl, "/login");
    expect(setCookies(page).some((c) => c.startsWith("__csrf=") && !/Secure/.test(c))).toBe(true);
  });

  it("over plain HTTP to a network address, npm start's production server signs in (no Secure cookie to drop) and the page warns", async () => {
    const port = new URL(serverUrl()).port;
    const headers = { Host: `192.168.1.20:${port}` };
    const page = await send(serverUrl(), "/login", { headers });
    expect(page.body).toContain("This connection is not encrypted");
    const signedIn = await signIn(serverUrl(), `http://192.168.1.20:${port}`, headers);
    expect(signedIn.status, signedIn.body).toBe(302);
    const session = setCookies(signedIn).find((c) => c.startsWith("__session="));
    expect(session).toBeDefined();
    expect(session).not.toMatch(/Secure/);
    const home = await send(serverUrl(), signedIn.headers.location!, { headers: { ...headers, Cookie: pair(session!) } });
    expect(home.status).toBe(200);
    expect(home.body).toContain(applicant.name);
  });
});
