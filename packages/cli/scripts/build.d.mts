/** Types of build.mjs (a plain ES module, so that `prepare` runs it with Node alone, before any TypeScript). */
export declare const dist: string
export declare const bundle: string
/** The code-cache files beside the bundle (one per set of Node flags). */
export declare const codeCaches: () => ReadonlyArray<string>
/** Builds the bundle and the Monte Carlo worker into packages/cli/dist. */
export declare const build: () => Promise<void>
