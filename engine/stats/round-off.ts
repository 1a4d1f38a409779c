/**
 * A change this small against the quantities themselves is floating-point round-off, not an effect (a
 * sensitivity step's rise in a mean; a paired difference's spread across runs): a parameter
 * that changes only the order or form of an arithmetic (a delay that never fires before the horizon, a sum
 * taken another way) moves a mean in its 14th digit. Means of at most a million runs carry at most ~1e-10 of
 * relative error (n · 2^-53), so 1e-9 stays above any round-off and far below any effect runs can resolve.
 */
export const ROUND_OFF = 1e-9;
