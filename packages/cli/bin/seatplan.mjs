#!/usr/bin/env node
// The seatplan command: the workspace runs TypeScript sources without a build, so register tsx first.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
