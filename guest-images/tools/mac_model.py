#!/usr/bin/env python3
"""Reference model of the PPC440 multiply-accumulate / multiply-halfword instructions.

Prints exactly what guest-images/user/src/mac.c prints on a 440 that follows the manual
(PPC440x5 CPU Core User's Manual, multiply-accumulate instructions; shared/reference/ppc440.md
section 5.2). QEMU 7.2 gets these wrong (ppc440.md section 0, items 3 and 4), so this model, not
QEMU, produces guest-images/user/expected/mac.out.

The instruction list, operands and XER inputs are read from user/src/mac_table.h, the same
header the C program is built from. Semantics, per instruction name:
  mul<sel>hw[u]       RT <- 16x16 product (signed halves, or unsigned with 'u'); XER untouched
  mac<sel>hw[s][u][o] temp <- RT + product, computed exactly (RT and product signed, or both
                      unsigned with 'u')
  nmac<sel>hw[s][o]   temp <- RT - product (signed only)
  overflow            temp does not fit 32 bits (signed: -2^31..2^31-1, unsigned: 0..2^32-1)
  's'                 on overflow RT <- 0x7fffffff / 0x80000000 (signed, by the sign of temp)
                      or 0xffffffff (unsigned); otherwise RT <- temp
  no 's'              RT <- low 32 bits of temp
  'o'                 XER[OV] <- overflow, XER[SO] |= overflow; without 'o' XER is unchanged
  '.'                 CR0 <- LT/GT/EQ of RT as a signed word, and XER[SO]
<sel>: c = RA[16:31] x RB[0:15], h = RA[0:15] x RB[0:15], l = RA[16:31] x RB[16:31]
(IBM bit numbers: [0:15] is the high half). CR starts at 0 in the program.
"""
import re
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "user" / "src" / "mac_table.h"
M32 = 0xFFFFFFFF


def parse_table(text):
    insns_block = re.search(r"#define MAC_INSNS\(X\)(.*?)\n\s*\n", text, re.S)
    insns = re.findall(r"X\((\w+)\)", insns_block.group(1))
    vecs = [tuple(int(v, 16) for v in m)
            for m in re.findall(r"MAC_VEC\((0x[0-9a-fA-F]+),\s*(0x[0-9a-fA-F]+),\s*"
                                r"(0x[0-9a-fA-F]+)\)", text)]
    xers = [int(v, 16) for v in re.findall(r"MAC_XER\((0x[0-9a-fA-F]+)\)", text)]
    if not insns or not vecs or not xers:
        sys.exit("mac_model.py: could not parse " + str(TABLE))
    return insns, vecs, xers


def half(word, high, signed):
    h = (word >> 16) & 0xFFFF if high else word & 0xFFFF
    if signed and h & 0x8000:
        h -= 0x10000
    return h


def decode(name):
    m = re.fullmatch(r"(nmac|mac|mul)(c|h|l)hw(s?)(u?)(o?)", name)
    if not m:
        raise ValueError(name)
    kind, sel, sat, uns, ovf = m.groups()
    return kind, sel, bool(sat), bool(uns), bool(ovf)


def execute(name, ra, rb, rt, xer):
    kind, sel, sat, uns, ovf = decode(name)
    signed = not uns
    a_high, b_high = {"c": (False, True), "h": (True, True), "l": (False, False)}[sel]
    prod = half(ra, a_high, signed) * half(rb, b_high, signed)
    if kind == "mul":
        return prod & M32, xer
    acc = (rt - (1 << 32) if rt & 0x80000000 else rt) if signed else rt
    temp = acc + prod if kind == "mac" else acc - prod
    lo, hi = (-(1 << 31), (1 << 31) - 1) if signed else (0, M32)
    overflow = not (lo <= temp <= hi)
    if sat and overflow:
        if signed:
            result = 0x80000000 if temp < 0 else 0x7FFFFFFF
        else:
            result = M32
    else:
        result = temp & M32
    if ovf:
        xer = (xer & ~0x40000000) & M32
        if overflow:
            xer |= 0xC0000000
    return result, xer


def cr0(rt, xer):
    if rt == 0:
        f = 0x2
    elif rt & 0x80000000:
        f = 0x8
    else:
        f = 0x4
    if xer & 0x80000000:
        f |= 0x1
    return f << 28


def main():
    insns, vecs, xers = parse_table(TABLE.read_text())
    out = []
    for base in insns:
        for mn in (base, base + "."):
            for ra, rb, rt in vecs:
                for x in xers:
                    res, xer = execute(base, ra, rb, rt, x)
                    cr = cr0(res, xer) if mn.endswith(".") else 0
                    out.append(f"{mn:<11} ra={ra:08x} rb={rb:08x} rt={rt:08x} x={x:08x} "
                               f"-> rt={res:08x} xer={xer:08x} cr={cr:08x}")
    out.append("mac: done")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
