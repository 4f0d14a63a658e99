// A browser without a browser, for tests that drive the portal over HTTP only
// (tests/e2e/two-servers.test.ts): a cookie jar, forms read from the served HTML
// (their hidden fields, the CSRF token and the one-time submission key among
// them), and posts sent as a browser without JavaScript sends them, to
// whichever server the test names.

export interface Served {
  status: number;
  /** The path (and query) of the page finally shown, after redirects. */
  path: string;
  html: string;
  /** The page's visible text, tags and scripts removed, entities decoded, spaces collapsed. */
  text: string;
}

export interface FormToSend {
  /** The path the form posts to. */
  action: string;
  fields: [string, string][];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The visible text of some HTML. */
export function textOf(html: string): string {
  return decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/gi, " ")
      .replace(/<style[\s\S]*?<\/style>/gi, " ")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<[^>]+>/g, " "),
  )
    .replace(/\s+/g, " ")
    .trim();
}

/** The attributes of one start tag, names lower-cased. */
export function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const inner = tag.replace(/^<\w+/, "").replace(/\/?>$/, "");
  for (const m of inner.matchAll(/([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attributes[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return attributes;
}

interface ParsedForm {
  action: string | null;
  method: string;
  html: string;
}

function formsOf(html: string): ParsedForm[] {
  return [...html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)].map((m) => {
    const attributes = attributesOf(m[1]!);
    return { action: attributes.action ?? null, method: (attributes.method ?? "get").toLowerCase(), html: m[2]! };
  });
}

/** What a browser would send for a form's fields as served: hidden fields, filled-in values, checked boxes, selected options. */
function defaultFields(formHtml: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const m of formHtml.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributesOf(m[0]);
    if (!a.name || "disabled" in a) continue;
    const type = (a.type ?? "text").toLowerCase();
    if (type === "submit" || type === "button" || type === "file" || type === "image" || type === "reset") continue;
    if ((type === "checkbox" || type === "radio") && !("checked" in a)) continue;
    fields.push([a.name, a.value ?? (type === "checkbox" || type === "radio" ? "on" : "")]);
  }
  for (const m of formHtml.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/gi)) {
    const a = attributesOf(m[1]!);
    if (a.name) fields.push([a.name, decodeEntities(m[2]!)]);
  }
  for (const m of formHtml.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/gi)) {
    const a = attributesOf(m[1]!);
    if (!a.name) continue;
    const options = [...m[2]!.matchAll(/<option\b[^>]*>/gi)].map((o) => attributesOf(o[0]));
    const chosen = options.find((o) => "selected" in o) ?? options[0];
    if (chosen) fields.push([a.name, chosen.value ?? ""]);
  }
  return fields;
}

/**
 * The form on `page` whose submit button reads `button`, with what pressing that
 * button sends: its hidden fields (csrf, submissionKey), values already filled
 * in, and the button's own name and value. `fields` then sets (replacing) or,
 * with arrays, adds values, as typing and ticking would.
 */
export function formOn(page: Served, button: string | RegExp, fields: Record<string, string | string[]> = {}): FormToSend {
  const matches = (text: string) => (typeof button === "string" ? text === button : button.test(text));
  for (const form of formsOf(page.html)) {
    if (form.method !== "post") continue;
    for (const b of form.html.matchAll(/(<button\b[^>]*>)([\s\S]*?)<\/button>/gi)) {
      const a = attributesOf(b[1]!);
      if ((a.type ?? "submit").toLowerCase() !== "submit" || !matches(textOf(b[2]!))) continue;
      const sent = defaultFields(form.html);
      if (a.name) sent.push([a.name, a.value ?? ""]);
      const named = new Set(Object.keys(fields));
      const result = sent.filter(([name]) => !named.has(name));
      for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) result.push([name, v]);
      const action = form.action ? decodeEntities(form.action) : page.path;
      return { action: new URL(action, "http://x" + page.path).pathname + new URL(action, "http://x" + page.path).search, fields: result };
    }
  }
  const buttons = [...page.html.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/gi)].map((b) => textOf(b[1]!));
  throw new Error(
    `No form with a "${String(button)}" button on ${page.path} (status ${page.status}). Buttons: ${buttons.join(" | ")}\n${page.text.slice(0, 1500)}`,
  );
}

/** Every link's href whose text matches. */
export function linksOn(page: Served, text: string | RegExp): string[] {
  const matches = (t: string) => (typeof text === "string" ? t === text : text.test(t));
  return [...page.html.matchAll(/(<a\b[^>]*>)([\s\S]*?)<\/a>/gi)]
    .filter((m) => matches(textOf(m[2]!)))
    .map((m) => decodeEntities(attributesOf(m[1]!).href ?? ""));
}

/** One person's browser: their cookies, sent to whichever server each request names. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** Every response status this person received, with the server and path, for "nothing answered 500". */
  readonly statuses: { server: string; method: string; path: string; status: number }[] = [];

  constructor(readonly who: string) {}

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(response: Response) {
    for (const set of response.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const isExpired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (isExpired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async send(server: string, method: string, path: string, body?: URLSearchParams | FormData): Promise<Served> {
    let response = await this.fetchOnce(server, method, path, body);
    let at = path;
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 5; hops += 1) {
      const location = response.headers.get("Location")!;
      const next = new URL(location, server + at);
      at = next.pathname + next.search;
      response = await this.fetchOnce(server, "GET", at);
    }
    const html = await response.text();
    return { status: response.status, path: at, html, text: textOf(html) };
  }

  private async fetchOnce(server: string, method: string, path: string, body?: URLSearchParams | FormData): Promise<Response> {
    const headers: Record<string, string> = { Cookie: this.header() };
    if (body) {
      // A FormData body gets its multipart Content-Type (with the boundary) from fetch.
      if (body instanceof URLSearchParams) headers["Content-Type"] = "application/x-www-form-urlencoded";
      headers.Origin = server;
    }
    const response = await fetch(server + path, { method, headers, body, redirect: "manual" });
    this.keep(response);
    this.statuses.push({ server, method, path, status: response.status });
    return response;
  }

  get(server: string, path: string): Promise<Served> {
    return this.send(server, "GET", path);
  }

  post(server: string, form: FormToSend): Promise<Served> {
    return this.send(server, "POST", form.action, new URLSearchParams(form.fields));
  }

  /** Sends a form with a file in `field` (multipart, as a browser uploads), after the form's other fields. */
  postFile(server: string, form: FormToSend, field: string, file: File): Promise<Served> {
    const body = new FormData();
    for (const [name, value] of form.fields) if (name !== field) body.append(name, value);
    body.append(field, file);
    return this.send(server, "POST", form.action, body);
  }

  /** A download's status, type and bytes. */
  async download(server: string, path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const response = await this.fetchOnce(server, "GET", path);
    return { status: response.status, type: response.headers.get("Content-Type"), bytes: Buffer.from(await response.arrayBuffer()) };
  }
}

/** Each group of radio buttons on the page, by name, with its values in page order. */
export function radioGroupsOn(page: Served): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const m of page.html.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributesOf(m[0]);
    if ((a.type ?? "").toLowerCase() !== "radio" || !a.name) continue;
    groups.set(a.name, [...(groups.get(a.name) ?? []), a.value ?? "on"]);
  }
  return groups;
}

/** The values of every input named `name` on the page (a group of checkboxes, say), in page order. */
export function valuesOn(page: Served, name: string): string[] {
  return [...page.html.matchAll(/<input\b[^>]*>/gi)]
    .map((m) => attributesOf(m[0]))
    .filter((a) => a.name === name)
    .map((a) => a.value ?? "on");
}
