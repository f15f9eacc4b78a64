/**
 * V8's young generation sized from the memory budget. By default each isolate
 * (the main thread and every worker) may grow semi-spaces of 16 MB, three of
 * them live at once while scavenging: about 50 MB per thread that no budget
 * accounts for, which under a small --memory is most of the process's
 * footprint. Small budgets get small semi-spaces; 512 MB and up keep V8's default.
 */
export function semiSpaceMb(budgetBytes: number): number {
  return Math.min(16, Math.max(1, Math.floor(budgetBytes / 2 ** 20 / 32)));
}

/** A worker's young generation limit: the scavenger's two semi-spaces and the space it promotes through. */
export function youngGenerationMb(budgetBytes: number): number {
  return 3 * semiSpaceMb(budgetBytes);
}
