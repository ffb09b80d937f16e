/** Every instruction family's semantics, keyed by InsnSpec.base. */

import { BRANCH } from "./branch.ts";
import type { SemTable } from "./emit.ts";
import { FP } from "./fp.ts";
import { INTEGER } from "./integer.ts";
import { LOADSTORE } from "./loadstore.ts";
import { MAC } from "./mac.ts";
import { SYSTEM } from "./system.ts";

export const SEMANTICS: SemTable = { ...INTEGER, ...BRANCH, ...LOADSTORE, ...SYSTEM, ...MAC, ...FP };

/** Instruction families whose semantics assign the next PC themselves (see Emit.next). */
export const SETS_NEXT_PC: ReadonlySet<string> = new Set(["b", "bc", "bclr", "bcctr", "rfi", "rfci", "rfmci"]);
