// In-process DynamoDB API (dynalite) for `npm start` and tests: no Java, no Docker, ~tens of ms to start.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type AddressInfo, connect } from "node:net";
import { join } from "node:path";
import dynalite from "dynalite";

export interface EmbeddedDynamoOptions {
  /** Persist tables here (LevelDB, created if missing); in memory when omitted. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1 so a dev box never exposes the data. */
  host?: string;
  /**
   * Record the endpoint in `dataDir` for other processes to use (`npm start` does, so the CLI can
   * reach its store while it runs); a short-lived user such as the CLI itself does not.
   */
  advertise?: boolean;
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

  const endpoint = `http://${endpointHost}:${port}`;
  const record =
    options.dataDir === undefined || !options.advertise ? undefined : join(options.dataDir, RECORD_FILE);
  // Whoever else wants this data (the CLI while `npm start` runs) finds the store here.
  if (record) {
    const running: StoreRecord = { endpoint, pid: process.pid, startedAt: new Date().toISOString() };
    await writeFile(record, `${JSON.stringify(running)}\n`, { mode: 0o600 });
  }

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    close() {
      // dynalite's server.close() waits for in-flight requests, then closes the LevelDB;
      // a second http close() would fail with ERR_SERVER_NOT_RUNNING, hence the memo.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeIdleConnections();
      }).then(() => (record ? rm(record, { force: true }) : undefined));
      return closing;
    },
  };
}

/**
 * The file in a data directory that names the running store's endpoint. LevelDB ignores files whose
 * names it does not use, so it can live beside the data.
 */
export const RECORD_FILE = "guardline-store.json";

interface StoreRecord {
  endpoint: string;
  pid: number;
  startedAt: string;
}

/**
 * The endpoint of the embedded store that another process (`npm start`) serves from `dataDir`, when
 * one does: its record names a live process and the endpoint takes connections. A record left by a
 * process that died is ignored.
 */
export async function runningStore(dataDir: string): Promise<string | undefined> {
  let record: StoreRecord;
  try {
    record = JSON.parse(await readFile(join(dataDir, RECORD_FILE), "utf8")) as StoreRecord;
  } catch {
    return undefined;
  }
  if (typeof record.endpoint !== "string" || !Number.isInteger(record.pid) || !alive(record.pid))
    return undefined;
  return (await reachable(record.endpoint, 2_000)) ? record.endpoint : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether something accepts TCP connections at an http(s) URL's host and port within `timeoutMs`. */
export function reachable(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port || (protocol === "https:" ? 443 : 80)) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
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
    throw new StoreInUseError(
      `Cannot open local DynamoDB data in ${dataDir} (already in use?): ${reason}`,
      dataDir,
      { cause: error },
    );
  }
  await db.close();
}

/** The data directory is held by another process (LevelDB's LOCK): usually a running `npm start`. */
export class StoreInUseError extends Error {
  override name = "StoreInUseError";
  constructor(
    message: string,
    readonly dataDir: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
