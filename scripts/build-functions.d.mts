export const FUNCTION_BUDGET_KIB: number;
export function buildFunctions(opts?: { quiet?: boolean }): Promise<Record<string, number>>;
