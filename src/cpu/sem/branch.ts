/** Branch semantics. Every path assigns `e.next` last (see Emit). */

import { S } from "../state.ts";
import { crBit, type Emit, type SemTable } from "./emit.ts";

const { LR, CTR } = S;

/**
 * The BO/BI condition of bc/bclr/bcctr as an expression; decrements CTR first when BO[2]=0.
 * With literal BO (compiled code) the dead parts disappear at generation time.
 */
function condition(e: Emit, allowCtr: boolean): { pre: string; cond: string } {
  const { bo, bi } = e.f;
  if (typeof bo === "number") {
    const parts: string[] = [];
    let pre = "";
    if ((bo & 4) === 0 && allowCtr) {
      pre = `st[${CTR}] = st[${CTR}] - 1;`;
      parts.push((bo & 2) !== 0 ? `st[${CTR}] === 0` : `st[${CTR}] !== 0`);
    }
    if ((bo & 16) === 0) parts.push(`${crBit(bi)} === ${(bo >> 3) & 1}`);
    return { pre, cond: parts.length === 0 ? "true" : parts.join(" && ") };
  }
  const pre = allowCtr ? `if ((${bo} & 4) === 0) st[${CTR}] = st[${CTR}] - 1;` : "";
  const ctrOk = allowCtr ? `((${bo} & 4) !== 0 || ((st[${CTR}] === 0) === ((${bo} & 2) !== 0)))` : "true";
  const condOk = `((${bo} & 16) !== 0 || ${crBit(bi)} === ((${bo} >> 3) & 1))`;
  return { pre, cond: `${ctrOk} && ${condOk}` };
}

const link = (e: Emit) => (e.spec.lk ? `st[${LR}] = (${e.pc} + 4) | 0;` : "");

export const BRANCH: SemTable = {
  b: (e) => {
    const target = e.spec.aa ? `${e.f.li}` : `(${e.pc} + ${e.f.li}) | 0`;
    return `{ const t = ${target}; ${link(e)} ${e.next} = t; }`;
  },
  bc: (e) => {
    const { pre, cond } = condition(e, true);
    const target = e.spec.aa ? `${e.f.bd}` : `(${e.pc} + ${e.f.bd}) | 0`;
    return `{ ${pre} const t = (${cond}) ? ${target} : (${e.pc} + 4) | 0; ${link(e)} ${e.next} = t; }`;
  },
  bclr: (e) => {
    const { pre, cond } = condition(e, true);
    return `{ const lr = st[${LR}] & -4; ${pre} const t = (${cond}) ? lr : (${e.pc} + 4) | 0; ${link(e)} ${e.next} = t; }`;
  },
  // BO[2]=0 is an invalid form for bcctr (CTR would be both target and counter): CTR is not
  // decremented, as on implementations that ignore the bit.
  bcctr: (e) => {
    const { pre, cond } = condition(e, false);
    return `{ const ctr = st[${CTR}] & -4; ${pre} const t = (${cond}) ? ctr : (${e.pc} + 4) | 0; ${link(e)} ${e.next} = t; }`;
  },
};
