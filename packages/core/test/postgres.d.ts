import { Effect } from "effect";
import { EventStore } from "../src/index.js";
/** The cluster's URL (its `postgres` database). */
export declare const clusterUrl: () => string;
/** The URL of database `name` on the cluster. */
export declare const databaseUrl: (name: string) => string;
/** A new empty database on the cluster, dropped when the scope closes; its URL. */
export declare const freshDatabase: Effect.Effect<string, never, import("effect/Scope").Scope>;
/** A PostgreSQL store over a new empty database. */
export declare const freshPostgres: Effect.Effect<{
    readonly append: (stream: import("../src/Ids.js").StreamId, events: ReadonlyArray<import("../src/Event.js").NewEvent>, expected: EventStore.ExpectedVersion) => Effect.Effect<EventStore.AppendResult, import("../src/EventStoreError.js").AppendError>;
    readonly readStream: (stream: import("../src/Ids.js").StreamId, options?: EventStore.ReadStreamOptions) => Effect.Effect<ReadonlyArray<import("../src/Event.js").StoredEvent>, import("../src/EventStoreError.js").StorageError>;
    readonly readAll: (options?: EventStore.ReadAllOptions) => Effect.Effect<ReadonlyArray<import("../src/Event.js").StoredEvent>, import("../src/EventStoreError.js").StorageError>;
    readonly version: (stream: import("../src/Ids.js").StreamId) => Effect.Effect<number, import("../src/EventStoreError.js").StorageError>;
    readonly streams: Effect.Effect<ReadonlyArray<EventStore.StreamInfo>, import("../src/EventStoreError.js").StorageError>;
    readonly fork: (source: import("../src/Ids.js").StreamId, version: number, target: import("../src/Ids.js").StreamId) => Effect.Effect<EventStore.StreamInfo, import("../src/EventStoreError.js").ForkError>;
    readonly log: Effect.Effect<ReadonlyArray<EventStore.LogEntry>, import("../src/EventStoreError.js").StorageError>;
    readonly importLog: (entries: ReadonlyArray<EventStore.LogEntry>) => Effect.Effect<EventStore.ImportResult, import("../src/EventStoreError.js").AppendError | import("../src/EventStoreError.js").ForkError>;
}, import("../src/EventStoreError.js").StorageError | import("../src/EventStoreError.js").StoreBusy, import("effect/Scope").Scope>;
/** `pg_ctl` for the cluster, with `args` added (restart, stop -m immediate, start). */
export declare const pgCtl: (...args: ReadonlyArray<string>) => void;
