import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** The same check `npm run check` runs, with the rules in .dependency-cruiser.cjs. */
async function violations(paths: string[]): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(
    DEPCRUISE,
    [...paths, "--config", ".dependency-cruiser.cjs", "--output-type", "json"],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "{}" }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe("architecture", () => {
  it("keeps the import graph in one direction: no cycles, no platform code outside its channel folder", async () => {
    // Act
    const found = await violations(["src", "handlers"]);

    // Assess
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it("fails when the handoff imports a platform, a channel calls the handoff, or two modules import each other", async () => {
    // Prepare: probe modules that break three rules, removed afterwards
    const probes = {
      "src/handoff/architecture-probe.ts":
        'import { TelegramApi } from "../channels/telegram/telegram.api.ts";\nexport const probe = TelegramApi;\n',
      "src/channels/web/architecture-probe.ts":
        'import { handleInbound } from "../../handoff/inbound.ts";\nimport { other } from "./architecture-probe-2.ts";\nexport const probe = [handleInbound, other];\n',
      "src/channels/web/architecture-probe-2.ts":
        'import { probe } from "./architecture-probe.ts";\nexport const other = () => probe;\n',
    };
    for (const [path, text] of Object.entries(probes)) writeFileSync(join(ROOT, path), text);
    try {
      // Act
      const found = await violations(Object.keys(probes));

      // Assess
      const rules = new Set(found.map((v) => v.rule.name));
      expect(rules).toContain("middle-is-platform-free");
      expect(rules).toContain("channels-below-wiring");
      expect(rules).toContain("no-cycles");
    } finally {
      for (const path of Object.keys(probes)) rmSync(join(ROOT, path), { force: true });
    }
  }, 60_000);
});
