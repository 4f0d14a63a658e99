import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The per-response CSP nonce made by server.js. */
    cspNonce: string;
    /** Set-Cookie values that entry.server adds to the response. */
    pendingCookies: string[];
    /** The client's address (Express's req.ip, so it honours "trust proxy"); absent outside server.js. */
    clientAddress?: string;
  }
}

export {};
