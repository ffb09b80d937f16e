#!/usr/bin/env python3
"""Independent reference model of the PPC440 multiply-accumulate / multiply-halfword family,
written from the pseudo-code of the PPC440x5 User's Manual (SA14-2613-02, ch. 9: macchw ...
nmaclhwso, mulchw ... mullhwu), because QEMU 7.2 gets the accumulate forms wrong (ppc440.md
section 0 items 3 and 4).

Reads a JSON list of {insn, rt, ra, rb, xer, cr} (register values as unsigned 32-bit ints)
on stdin and writes a JSON list of {rt, xer, cr} (the state after the instruction).

Manual pseudo-code, e.g. macchws:
    prod(0:31)  <- (RA)(16:31) x_signed (RB)(0:15)
    temp(0:32)  <- prod(0:31) + (RT)          (33-bit sum, signed operands sign-extended)
    if (prod0 = RT0) and (RT0 != temp1) then RT <- RT0 || 31(~RT0)     (saturate)
    else RT <- temp(1:32)
    if OE: XER[OV] <- temp0 xor temp1 ; XER[SO] <- XER[SO] | XER[OV]
Unsigned forms (..u): the operands are unsigned, temp0 is the carry out; the saturating form
gives 0xFFFFFFFF when temp0 = 1 and XER[OV] <- temp0. nmac forms subtract the (signed) product.
Rc=1: CR0 <- LT,GT,EQ of the 32-bit result (signed) || XER[SO] (after the update).
"""
import json
import re
import sys

M32 = 0xFFFFFFFF


def s16(v):
    v &= 0xFFFF
    return v - 0x10000 if v & 0x8000 else v


def s32(v):
    v &= M32
    return v - 0x100000000 if v & 0x80000000 else v


def halves(form, ra, rb, signed):
    lo_a, hi_a, lo_b, hi_b = ra & 0xFFFF, (ra >> 16) & 0xFFFF, rb & 0xFFFF, (rb >> 16) & 0xFFFF
    a, b = {"ch": (lo_a, hi_b), "hh": (hi_a, hi_b), "lh": (lo_a, lo_b)}[form]
    return (s16(a), s16(b)) if signed else (a, b)


NAME = re.compile(r"^(n?)(mac|mul)(ch|hh|lh)w(s?)(u?)(o?)(\.?)$")


def step(c):
    m = NAME.match(c["insn"])
    if not m:
        raise SystemExit("not a MAC instruction: " + c["insn"])
    neg, kind, form, sat, uns, oe, rc = m.groups()
    rt, ra, rb, xer, cr = c["rt"] & M32, c["ra"] & M32, c["rb"] & M32, c["xer"] & M32, c["cr"] & M32
    signed = uns == ""
    x, y = halves(form, ra, rb, signed)
    prod = x * y  # exact: fits in 32 bits (signed or unsigned)
    if kind == "mul":
        res = prod & M32
    else:
        acc = s32(rt) if signed else rt
        temp = acc - prod if neg else acc + prod  # exact sum; the manual's 33-bit temp
        if signed:
            overflow = not (-0x80000000 <= temp <= 0x7FFFFFFF)
        else:
            overflow = temp > M32  # carry out of bit 0 (temp0)
        if sat and overflow:
            res = (0x7FFFFFFF if temp > 0 else 0x80000000) if signed else M32
        else:
            res = temp & M32
        if oe:
            xer = (xer & ~0x40000000) & M32
            if overflow:
                xer |= 0xC0000000
    if rc:
        v = s32(res)
        f = 8 if v < 0 else 4 if v > 0 else 2
        f |= (xer >> 31) & 1
        cr = (cr & 0x0FFFFFFF) | (f << 28)
    return {"rt": res, "xer": xer, "cr": cr}


def main():
    cases = json.load(sys.stdin)
    json.dump([step(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
