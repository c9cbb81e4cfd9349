// dynalite (CommonJS, no bundled types): only the surface src/local/embedded-dynamo.ts uses.
declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    /** LevelDB directory; in-memory (memory-level) when omitted. */
    path?: string;
    /** How long a table stays CREATING / DELETING / UPDATING (default 500 ms each). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }

  /** Returns an unlistened http.Server whose close() also closes the LevelDB store. */
  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}
