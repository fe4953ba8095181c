/**
 * @seatplan/core: the facts, rules and storage of seatplan. Import namespaces:
 * `import { Event, World, Decider, EventStore } from "@seatplan/core"`.
 */
export * as Command from "./Command.js"
export * as Decider from "./Decider.js"
export * as DomainError from "./DomainError.js"
export * as Event from "./Event.js"
export * as EventStore from "./EventStore.js"
export * as EventStoreError from "./EventStoreError.js"
export * as Geography from "./Geography.js"
export * as Ids from "./Ids.js"
export * as Jsonl from "./Jsonl.js"
export * as Numbers from "./Numbers.js"
export * as CommandHandler from "./CommandHandler.js"
export * as PostgresEventStore from "./PostgresEventStore.js"
export * as School from "./School.js"
export * as SqliteEventStore from "./SqliteEventStore.js"
export * as Sources from "./Sources.js"
export * as Standards from "./Standards.js"
export * as Upcast from "./Upcast.js"
export * as World from "./World.js"
