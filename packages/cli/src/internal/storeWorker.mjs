// Worker entry for `seatplan run`'s storing thread run from the sources: registers tsx's loader inside the worker
// thread (the workspace runs TypeScript without a build), then loads the TypeScript worker.
import { register } from "tsx/esm/api"

register()
await import("./storeWorker.ts")
