import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    // Metric lines (EMF) only where a test turns them on and reads them.
    env: { POWERTOOLS_METRICS_DISABLED: "true" },
  },
});
