// autocannon ships no types; npm run bench:load uses only its promise and its "response" and "reqError" events.
declare module "autocannon" {
  interface Instance extends PromiseLike<{ errors: number; timeouts: number }> {
    on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): this;
    on(event: "reqError", listener: (error: Error) => void): this;
  }
  export default function autocannon(options: { url: string; connections: number; duration: number; headers?: Record<string, string> }): Instance;
}
