import { EventStore } from "../src/index.js"
import { eventStoreContract } from "./EventStoreContract.js"

eventStoreContract("memory", EventStore.makeMemory)
