import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../src/local/embedded-dynamo.ts";
import { ensureTable } from "../../src/store/ensure-table.ts";

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
});
afterAll(async () => {
  await dynamo?.close();
});
afterEach(() => {
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  delete process.env.AWS_XRAY_CONTEXT_MISSING;
  delete process.env.AWS_EXECUTION_ENV;
  vi.resetModules();
});

/** A fresh copy of the store client and the tracing module, as a cold start with this environment. */
async function coldStart() {
  vi.resetModules();
  const tracing = await import("../../src/tracing.ts");
  const { createDocumentClient } = await import("../../src/store/client.ts");
  return { tracing, client: createDocumentClient({ endpoint: dynamo.endpoint }) };
}

describe("tracing", () => {
  it("is off unless the stage turns it on: no tracer, the client as built", async () => {
    const { tracing, client } = await coldStart();
    expect(tracing.tracer).toBeUndefined();
    expect(client.middlewareStack.identify().join(" ")).not.toMatch(/xray/i);
    client.destroy();
  });

  it("with POWERTOOLS_TRACE_ENABLED, traces the DynamoDB client, which still talks to the store", async () => {
    // Prepare: as Lambda's environment says; outside Lambda there is no trace to join, X-Ray carries on
    process.env.POWERTOOLS_TRACE_ENABLED = "true";
    process.env.AWS_EXECUTION_ENV = "AWS_Lambda_nodejs22.x";
    process.env.AWS_XRAY_CONTEXT_MISSING = "IGNORE_ERROR";
    const { tracing, client } = await coldStart();

    // Act
    await ensureTable(client, "guardline-traced");
    await client.send(new PutCommand({ TableName: "guardline-traced", Item: { pk: "a", sk: "b" } }));

    // Assess
    expect(tracing.tracer?.isTracingEnabled()).toBe(true);
    expect(client.middlewareStack.identify().join(" ")).toMatch(/xray/i);
    client.destroy();
  });
});
