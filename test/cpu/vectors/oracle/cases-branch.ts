/**
 * Branches through the QEMU oracle. The instruction is assembled from text so targets can be
 * labels (`T` = the branch itself); every possible destination holds a landing pad, and the
 * final PC is the pad that was reached. Absolute `bca`/`bcla` targets (within +-32 KiB of 0)
 * cannot be reached in QEMU's user mode and are hand-written in manual.ts.
 */
import { byMnemonic } from "../../../../src/isa/decode.ts";
import { h, uniq, type CaseDef, type Family } from "./defs.ts";

function br(insn: string, asm: string, name: string, c: Partial<CaseDef>): CaseDef {
  if (!byMnemonic(insn)) throw new Error(insn);
  return { name: `${insn} ${name}`, insn, asm, pads: [0x40], ...c };
}

function cases(): CaseDef[] {
  const out: CaseDef[] = [];
  for (const mn of ["b", "bl"]) {
    out.push(br(mn, `${mn} T+0x40`, "forward", { lr: 0x11111111 }));
    out.push({ ...br(mn, `${mn} T-0x40`, "backward", { lr: 0x11111111 }), pads: [-0x40] });
  }
  for (const mn of ["ba", "bla"]) out.push(br(mn, `${mn} T+0x40`, "absolute target", { lr: 0x11111111 }));

  // bc: BO shapes x CR bit value x CTR values
  const BO: [number, string][] = [
    [20, "always"], [12, "if true"], [13, "if true (y=1)"], [4, "if false"], [5, "if false (y=1)"],
    [16, "ctr--, if ctr!=0"], [17, "ctr--, if ctr!=0 (y=1)"], [18, "ctr--, if ctr==0"],
    [0, "ctr--, if ctr!=0 && false"], [2, "ctr--, if ctr==0 && false"], [8, "ctr--, if ctr!=0 && true"],
    [10, "ctr--, if ctr==0 && true"],
  ];
  for (const mn of ["bc", "bcl"]) {
    for (const [bo, what] of BO) {
      const usesCtr = (bo & 4) === 0;
      const usesCr = (bo & 16) === 0;
      for (const bi of usesCr ? [2, 31] : [0]) {
        for (const crv of usesCr ? [0, 0xffffffff] : [0x20000000]) {
          for (const ctr of usesCtr ? [1, 2, 0] : [7]) {
            out.push(br(mn, `${mn} ${bo},${bi},T+0x40`, `bo=${bo} (${what}) bi=${bi} cr=${h(crv)} ctr=${ctr}`, { cr: crv, ctr, lr: 0x11111111 }));
          }
        }
      }
    }
    out.push({ ...br(mn, `${mn} 12,6,T-0x40`, "backward, cr1 eq set", { cr: 0x02000000, lr: 0x11111111 }), pads: [-0x40] });
  }
  // bclr / bclrl: target from LR (low two bits ignored), LR written after the target is read
  for (const mn of ["bclr", "bclrl"]) {
    out.push(br(mn, `${mn} 20,0`, "always", { lr: "T+0x40" }));
    out.push(br(mn, `${mn} 20,0`, "always, LR low bits set", { lr: "T+0x43" }));
    out.push(br(mn, `${mn} 12,2`, "if eq, taken", { lr: "T+0x40", cr: 0x20000000 }));
    out.push(br(mn, `${mn} 12,2`, "if eq, not taken", { lr: "T+0x40", cr: 0xdfffffff }));
    out.push(br(mn, `${mn} 4,30`, "if not cr7 eq, taken", { lr: "T+0x40", cr: 0xfffffffd }));
    out.push(br(mn, `${mn} 16,0`, "ctr-- (2 -> 1), taken", { lr: "T+0x40", ctr: 2 }));
    out.push(br(mn, `${mn} 16,0`, "ctr-- (1 -> 0), not taken", { lr: "T+0x40", ctr: 1 }));
    out.push(br(mn, `${mn} 18,0`, "ctr-- (1 -> 0), if zero, taken", { lr: "T+0x40", ctr: 1 }));
    out.push(br(mn, `${mn} 18,0`, "ctr-- (0 -> -1), if zero, not taken", { lr: "T+0x40", ctr: 0 }));
    out.push(br(mn, `${mn} 8,2`, "ctr-- and eq, taken", { lr: "T+0x40", ctr: 5, cr: 0x20000000 }));
    out.push(br(mn, `${mn} 8,2`, "ctr-- and eq, eq clear", { lr: "T+0x40", ctr: 5, cr: 0 }));
  }
  // bcctr / bcctrl (BO[2]=0 is an invalid form for bcctr: not tested)
  for (const mn of ["bcctr", "bcctrl"]) {
    out.push(br(mn, `${mn} 20,0`, "always", { ctr: "T+0x40", lr: 0x11111111 }));
    out.push(br(mn, `${mn} 20,0`, "always, CTR low bits set", { ctr: "T+0x42", lr: 0x11111111 }));
    out.push(br(mn, `${mn} 12,9`, "if cr2 gt, taken", { ctr: "T+0x40", cr: 0x00400000, lr: 0x11111111 }));
    out.push(br(mn, `${mn} 12,9`, "if cr2 gt, not taken", { ctr: "T+0x40", cr: 0xffbfffff, lr: 0x11111111 }));
    out.push(br(mn, `${mn} 4,0`, "if not lt, taken", { ctr: "T+0x40", cr: 0x7fffffff, lr: 0x11111111 }));
    out.push(br(mn, `${mn} 4,0`, "if not lt, not taken", { ctr: "T+0x40", cr: 0x80000000, lr: 0x11111111 }));
    out.push({ ...br(mn, `${mn} 20,0`, "backward", { ctr: "T-0x40", lr: 0x11111111 }), pads: [-0x40] });
  }
  return uniq(out);
}

export function branchFamily(): Family {
  return { name: "branch", description: "b/bc/bclr/bcctr: BO/BI shapes, CTR decrement, LR update order", oracle: "qemu", cases: cases() };
}
