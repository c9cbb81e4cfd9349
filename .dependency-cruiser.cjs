/**
 * The architecture as rules (README "Layout"): calls go handlers → src/app → src/channels/<platform>
 * → src/handoff → src/store → src/core, and nothing points back. Checked by `npm run check`
 * (depcruise) and by tests/architecture.test.ts, so `npm test` fails when one is broken.
 */
const PLATFORM_LIBRARIES = "^node_modules/(telegraf|@telegraf|@discordjs|discord-api-types)/";
const PLATFORM_FOLDER = "^src/channels/[^/]+/";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Modules import each other in one direction only (type imports included).",
      from: {},
      to: { circular: true },
    },
    {
      name: "platform-libraries-in-their-channel",
      severity: "error",
      comment: "A platform's SDK is used in its channel folder and nowhere else.",
      from: { path: "^(src|handlers)/", pathNot: PLATFORM_FOLDER },
      to: { path: PLATFORM_LIBRARIES },
    },
    {
      name: "middle-is-platform-free",
      severity: "error",
      comment:
        "core, handoff and store see channels only through src/channels/types.ts and its shared helpers.",
      from: { path: "^src/(core|handoff|store)/" },
      to: { path: PLATFORM_FOLDER },
    },
    {
      name: "channel-folders-apart",
      severity: "error",
      comment: "One platform's folder does not import another's.",
      from: { path: "^src/channels/([^/]+)/" },
      to: { path: "^src/channels/[^/]+/", pathNot: "^src/channels/$1/" },
    },
    {
      name: "core-is-pure",
      severity: "error",
      comment: "src/core imports only itself, errors and validate (no store, no channels, no AWS SDK).",
      from: { path: "^src/core/" },
      to: { path: "^src/", pathNot: "^src/(core/|errors\\.ts$|validate\\.ts$)" },
    },
    {
      name: "core-no-aws",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^node_modules/@aws-sdk/" },
    },
    {
      name: "store-below-handoff",
      severity: "error",
      comment: "The store knows no channel, handoff, wiring or HTTP.",
      from: { path: "^src/store/" },
      to: { path: "^src/(channels|handoff|app|http|local|cli)/" },
    },
    {
      name: "channels-below-wiring",
      severity: "error",
      comment: "Channels implement the interface; they do not call the handoff or the wiring.",
      from: { path: "^src/channels/" },
      to: { path: "^src/(handoff|app|local|cli)/" },
    },
    {
      name: "handoff-below-wiring",
      severity: "error",
      from: { path: "^src/handoff/" },
      to: { path: "^src/(app|local|cli)/" },
    },
    {
      name: "wiring-only-from-the-edges",
      severity: "error",
      comment: "src/app is what handlers, the local server and the CLI build on; nothing inside imports it.",
      from: { path: "^src/", pathNot: "^src/(app|local|cli)/" },
      to: { path: "^src/app/" },
    },
    {
      name: "zod-mini-only",
      severity: "error",
      comment:
        "Schemas use zod/mini: classic zod is not tree-shakeable and would put ~450 KB into every bundle.",
      from: { path: "^(src|handlers)/" },
      to: { path: "(^|/)node_modules/zod/(index\\.|v4/index\\.|v4/classic/|v3/)" },
    },
    {
      name: "handlers-are-leaves",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/local/" },
      to: { path: "^handlers/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
