import { Size } from './size.js';

/**
 * GOMEMLIMIT for a Go program: the footprint it should keep, never above 80%
 * of its container's limit (the rest is headroom for what Go's limit does not
 * count, such as memory-mapped files). It is a soft limit: near it the
 * garbage collector runs more often instead of letting the heap grow to twice
 * the live data (GOGC=100), and its CPU limiter caps that work at about half
 * the CPU, so a live heap above the target costs CPU, never an OOM kill
 * (go.dev/doc/gc-guide, "Memory limit"). Whole MiB.
 */
export function goMemLimit(target: Size, containerLimit?: Size): string {
  const ceiling = containerLimit ? containerLimit.bytes * 0.8 : Infinity;
  return Size.mebibytes(Math.max(1, Math.floor(Math.min(target.bytes, ceiling) / 1024 ** 2))).toGoMemLimit();
}
