// Worker entry for sweeps: registers tsx's loader inside the worker thread (the workspace runs
// TypeScript sources without a build), then loads the TypeScript worker.
import { register } from "tsx/esm/api"

register()
await import("./sweepWorker.ts")
