/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverDependenciesToBundle: [],
  tailwind: true,
  postcss: false,
  // Files outside app/ (db/) are bundled into the server build, so the
  // migrations and seed run from the built server without tsx.
  watchPaths: ["db/**/*.ts"],
  // Single fetch stays off: it changes how data responses carry headers.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
};
