// In-process DynamoDB API (dynalite) for `npm start` and tests: no Java, no Docker, ~tens of ms to start.
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

export interface EmbeddedDynamoOptions {
  /** Persist tables here (LevelDB, created if missing); in memory when omitted. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1 so a dev box never exposes the data. */
  host?: string;
}

export interface EmbeddedDynamo {
  endpoint: string;
  /** Stops the server and closes the LevelDB store (releasing its LOCK file). Idempotent. */
  close(): Promise<void>;
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? "127.0.0.1";
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    await assertLevelDbOpens(options.dataDir);
  }

  const server = dynalite({
    ...(options.dataDir !== undefined && { path: options.dataDir }),
    // dynalite keeps new tables CREATING for 500 ms by default; a create-then-wait (SDK waiter:
    // 20 s minimum delay between polls) would stall startup for nothing, so make them ACTIVE at once.
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reachable via loopback; any other host is used as given.
  const wildcard = host === "0.0.0.0" || host === "::";
  const endpointHost = wildcard ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost}:${port}`,
    close() {
      // dynalite's server.close() waits for in-flight requests, then closes the LevelDB;
      // a second http close() would fail with ERR_SERVER_NOT_RUNNING, hence the memo.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

interface LevelModule {
  Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> };
}

/**
 * dynalite opens its LevelDB lazily and swallows an open failure, then throws an uncaught
 * "Database is closed" from the first request, killing the process. The usual cause is a second
 * instance on the same dataDir (LevelDB's LOCK file), so open it once first to fail at start with
 * the real reason. `level` is resolved from dynalite's own location: it is dynalite's dependency.
 */
async function assertLevelDbOpens(dataDir: string): Promise<void> {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve("dynalite"));
  const { Level } = fromDynalite("level") as LevelModule;
  const db = new Level(dataDir);
  try {
    await db.open();
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(`Cannot open local DynamoDB data in ${dataDir} (already in use?): ${reason}`, {
      cause: error,
    });
  }
  await db.close();
}
